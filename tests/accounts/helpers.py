"""Drive the electronic business licence flow through the development provider."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse


def scan(client, *, uscc: str, name: str = "郑州新星科技有限公司", legal: str = "王建华"):
    """Start a licence sign-in and simulate the scan; returns the redirect to the callback."""
    start = client.get(reverse("accounts:licence_start"))
    assert start.status_code == 302
    assert start["Location"] == reverse("accounts:licence_dev_scan")
    response = client.post(
        reverse("accounts:licence_dev_scan"),
        {"uscc": uscc, "name": name, "legal_representative": legal},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith(reverse("accounts:licence_callback"))
    return response


def payload_of(callback_url: str) -> str:
    return parse_qs(urlsplit(callback_url).query)["payload"][0]


REGISTRATION = {
    "region_code": "410100",
    "region_name": "河南省郑州市",
    "address": "郑州市金水区花园路 1 号",
    "size_class": "small",
    "username": "xinxing",
    "full_name": "王小明",
    "phone": "13812345678",
    "email": "wang@xinxing.example.cn",
    "password1": "Sunny-Bid-2026",
    "password2": "Sunny-Bid-2026",
}
