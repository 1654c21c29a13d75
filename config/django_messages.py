"""Django's own messages that the root catalogue (locale/zh_Hans) translates anew.

Django's Chinese catalogue leaves a few messages our pages show in English (the admin's
screen-reader headers, the user-add hint of Django 5.2) or with half-width punctuation inside
Chinese text (「确认小数不超过 2 位.」). LOCALE_PATHS come before Django's catalogues, so a
translation in locale/zh_Hans wins. The msgids are listed here, exactly as Django writes them,
only so that `scripts/messages.sh` (makemessages --no-obsolete) keeps them in the root
catalogue; nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_MESSAGES = (
    # django.forms.fields and django.core.validators: the form errors our forms show.
    gettext_noop("This field is required."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid date/time."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    # django.contrib.admin templates: the app list's screen-reader headers (admin index).
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # django.contrib.auth's user-add page (Django 5.2), left in English by Django.
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
)
