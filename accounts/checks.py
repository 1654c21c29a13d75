"""System checks of the electronic business licence configuration."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning
from django.utils.module_loading import import_string


def _provider_class():
    return import_string(settings.BUSINESS_LICENCE_PROVIDER)


@register(Tags.security)
def check_licence_provider(app_configs, **kwargs):
    """The configured provider imports and implements LicenceProvider."""
    from .licence import LicenceProvider

    path = settings.BUSINESS_LICENCE_PROVIDER
    try:
        provider = _provider_class()
    except ImportError as error:
        return [Error(f"BUSINESS_LICENCE_PROVIDER {path!r}: {error}", id="accounts.E001")]
    if not (isinstance(provider, type) and issubclass(provider, LicenceProvider)):
        return [
            Error(f"BUSINESS_LICENCE_PROVIDER {path!r} is no LicenceProvider", id="accounts.E002")
        ]
    return []


@register(Tags.security, deploy=True)
def check_no_simulated_licence(app_configs, **kwargs):
    """The simulated scan lets anyone claim any enterprise: never on a deployed site."""
    from .licence import DevelopmentLicenceProvider

    try:
        provider = _provider_class()
    except ImportError:
        return []  # reported by check_licence_provider
    if isinstance(provider, type) and issubclass(provider, DevelopmentLicenceProvider):
        return [
            CheckWarning(
                "BUSINESS_LICENCE_PROVIDER is the development provider: anyone can sign in as "
                "any registered enterprise's administrator by typing its code.",
                hint="Configure the market regulator's provider, or "
                "accounts.licence.UnavailableLicenceProvider.",
                id="accounts.W001",
            )
        ]
    return []
