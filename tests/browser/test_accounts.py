"""Sign-in per role, the wrong-password message, and supplier registration by licence."""

from __future__ import annotations

import pytest

from accounts.models import Membership, Organisation
from suppliers.models import SupplierProfile
from tests.browser.conftest import shot, sign_in
from tests.factories import make_uscc

ROLES = [
    # username, role badge, organisation (or employer) on the card
    ("purchaser", "采购人", "市教育局"),
    ("agency", "采购代理机构", "中原招标代理有限公司"),
    ("supplier", "供应商", "郑州甲科技有限公司"),
    ("expert", "评审专家", "郑州大学"),
    ("bank", "银行", "中原银行郑州分行"),
    ("bureau", "财政监管人员", "市财政局"),
]


@pytest.mark.parametrize(("username", "badge", "organisation"), ROLES)
def test_it_signs_in_each_role_and_shows_its_home(
    page, live_server, cast, username, badge, organisation
):
    sign_in(page, live_server, username)
    assert page.inner_text("[data-testid=role-badge]") == badge
    card = page.inner_text("[data-testid=home-organisation]")
    assert organisation in card
    assert getattr(cast, username).full_name in page.inner_text("[data-testid=home-greeting]")
    if username != "expert":
        assert "单位管理员" in card
        uscc = Membership.objects.get(user=getattr(cast, username)).organisation.uscc
        assert page.inner_text("[data-testid=org-uscc]") == uscc
    shot(page, f"accounts-home-{username}")


def test_it_opens_the_bureau_admin_in_chinese_for_the_bureau(page, live_server, cast):
    sign_in(page, live_server, "bureau")
    page.click("text=监管后台")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert "阳光采购" in page.inner_text("#site-name")
    page.click("a[href='/admin/accounts/organisation/']")
    page.wait_for_selector("#result_list")
    assert page.is_visible("text=郑州甲科技有限公司")
    shot(page, "accounts-admin-organisations")


def test_it_refuses_the_admin_to_a_supplier(page, live_server, cast):
    sign_in(page, live_server, "supplier")
    response = page.goto(f"{live_server.url}/admin/")
    assert response.status == 403
    assert "您没有权限查看此页面。" in page.inner_text("main")


def test_it_shows_a_chinese_message_for_a_wrong_password_and_keeps_the_username(
    page, live_server, cast
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "supplier")
    page.fill("input[name=password]", "not-my-password")
    page.click("form button[type=submit]")
    page.wait_for_selector(".alert-danger, .invalid-feedback, .alert-block")
    assert "用户名或密码错误" in page.inner_text("main")
    assert page.input_value("input[name=username]") == "supplier"
    assert page.input_value("input[name=password]") == ""
    shot(page, "accounts-login-wrong-password")


def test_it_shows_the_lockout_page_after_five_wrong_passwords(page, live_server, cast):
    for _attempt in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "bank")
        page.fill("input[name=password]", "wrong")
        page.click("form button[type=submit]")
        page.wait_for_load_state()
    assert page.is_visible("[data-testid=locked-out]")
    assert "15分钟" in page.inner_text("[data-testid=locked-out]")
    shot(page, "accounts-locked-out")


def test_it_registers_a_supplier_by_the_simulated_business_licence(page, live_server, cast):
    code = make_uscc(4242)
    page.goto(live_server.url + "/")
    page.click("[data-testid=nav-supplier-registration]")
    page.wait_for_selector("[data-testid=licence-qr]")
    shot(page, "accounts-licence-scan")

    form = page.locator("[data-testid=simulated-scan-form]")
    form.locator("input[name=uscc]").fill(code)
    form.locator("input[name=name]").fill("郑州晨光办公设备有限公司")
    form.locator("input[name=legal_representative]").fill("刘晨")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=registration-form]")
    assert "郑州晨光办公设备有限公司" in page.inner_text("[data-testid=licence-verified]")
    assert page.input_value("input[name=uscc]") == code
    assert page.is_disabled("input[name=uscc]") and page.is_disabled("input[name=name]")
    assert page.input_value("input[name=region_code]") == "410100"

    page.fill("input[name=region_name]", "河南省郑州市")
    page.fill("input[name=address]", "郑州市中原区建设路 18 号")
    page.check("input[name=size_class][value=micro]")
    page.fill("input[name=username]", "chenguang")
    page.fill("input[name=full_name]", "刘小晨")
    page.fill("input[name=phone]", "1381234")  # too short: the form says so, nothing is lost
    page.fill("input[name=email]", "liu@chenguang.example.cn")
    page.fill("input[name=password1]", "Sun-Rise-Bid-88")
    page.fill("input[name=password2]", "Sun-Rise-Bid-88")
    page.click("[data-testid=registration-form] button[type=submit]")
    page.wait_for_selector(".invalid-feedback")
    assert "11位" in page.inner_text("main")
    assert page.input_value("input[name=full_name]") == "刘小晨"
    assert page.is_checked("input[name=size_class][value=micro]")
    shot(page, "accounts-licence-register-error")

    page.fill("input[name=phone]", "13812345678")
    page.fill("input[name=password1]", "Sun-Rise-Bid-88")
    page.fill("input[name=password2]", "Sun-Rise-Bid-88")
    page.click("[data-testid=registration-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/")
    assert page.inner_text("[data-testid=role-badge]") == "供应商"
    card = page.inner_text("[data-testid=home-organisation]")
    assert "郑州晨光办公设备有限公司" in card and code in card and "微型企业" in card
    shot(page, "accounts-licence-registered-home")

    organisation = Organisation.objects.get(uscc=code)
    assert SupplierProfile.objects.get(organisation=organisation).size_class == "micro"

    # Next time the licence signs the new administrator straight in.
    page.click("[data-testid=user-menu]")
    page.click("text=退出登录")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("[data-testid=licence-sign-in]")
    page.wait_for_selector("[data-testid=simulated-scan-form]")
    page.click(f"[data-testid=sample-{code}]")
    page.wait_for_url(f"{live_server.url}/accounts/")
    assert "刘小晨" in page.inner_text("[data-testid=home-greeting]")


def test_it_fits_the_licence_pages_on_a_phone(phone_page, live_server, cast):
    page = phone_page
    page.goto(f"{live_server.url}/accounts/licence/")
    page.wait_for_selector("[data-testid=licence-qr]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "accounts-licence-scan-phone")
    form = page.locator("[data-testid=simulated-scan-form]")
    form.locator("input[name=name]").fill("郑州手机测试有限公司")
    form.locator("input[name=legal_representative]").fill("张手机")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=registration-form]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "accounts-licence-register-phone")
