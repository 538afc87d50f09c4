"""The Twilio webhook (TwiML, signature check) and the WebRTC offer's input checks, in process
(no models: these routes answer before any session starts)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from starlette.testclient import TestClient
from twilio.request_validator import RequestValidator

from voice_agent.app import create_app
from voice_agent.settings import Settings
from voice_agent.telephony import hash_caller, sign_call

TOKEN = "twilio-test-auth-token"
PUBLIC = "https://agent.example.com"
FORM = {"CallSid": "CA123", "From": "+15551234567", "To": "+15550000000", "AccountSid": "AC1"}


def client(**settings: object) -> TestClient:
    # no `with`: the lifespan (models) never runs; the Host is loopback, which is always allowed
    return TestClient(create_app(Settings(**settings)), base_url="http://127.0.0.1")


def stream_of(xml: str) -> tuple[str, dict[str, str]]:
    stream = ET.fromstring(xml).find("./Connect/Stream")
    assert stream is not None, xml
    return stream.attrib["url"], {p.attrib["name"]: p.attrib["value"] for p in stream.findall("Parameter")}


def test_twiml_connects_the_stream_with_workflow_and_options_from_settings_and_query() -> None:
    c = client(twilio_workflow="interview", twilio_options={"role": "data scientist", "questions": "2"})
    response = c.post("/telephony/twilio/voice?questions=1&seniority=senior", data=FORM)
    assert response.status_code == 200
    url, params = stream_of(response.text)
    assert url == "wss://127.0.0.1/telephony/twilio/stream"
    assert params == {
        "workflow": "interview",
        "role": "data scientist",
        "questions": "1",
        "seniority": "senior",
        "caller": hash_caller("+15551234567", Settings()),
    }
    assert "5551234567" not in response.text
    _, params = stream_of(c.post("/telephony/twilio/voice?workflow=intake", data=FORM).text)
    assert params["workflow"] == "intake"


def test_signed_webhook_passes_and_a_bad_signature_gets_403() -> None:
    c = client(twilio_auth_token=TOKEN, public_url=PUBLIC)
    url = f"{PUBLIC}/telephony/twilio/voice?workflow=intake"
    good = RequestValidator(TOKEN).compute_signature(url, FORM)
    response = c.post(
        "/telephony/twilio/voice?workflow=intake", data=FORM, headers={"X-Twilio-Signature": good}
    )
    assert response.status_code == 200, response.text
    stream_url, params = stream_of(response.text)
    assert stream_url == "wss://agent.example.com/telephony/twilio/stream"
    assert params["auth"] == sign_call("CA123", Settings(twilio_auth_token=TOKEN))
    for headers in ({"X-Twilio-Signature": "AAAA" + good[4:]}, {}):
        bad = c.post("/telephony/twilio/voice?workflow=intake", data=FORM, headers=headers)
        assert bad.status_code == 403
    tampered = c.post(
        "/telephony/twilio/voice?workflow=english", data=FORM, headers={"X-Twilio-Signature": good}
    )
    assert tampered.status_code == 403


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("not json", "offer"),
        ('{"type": "answer", "sdp": "v=0"}', "type"),
        ('{"type": "offer", "sdp": "v=0\\r\\n"}', "no audio"),
        ('{"type": "offer", "sdp": "v=0\\r\\nm=audio 9 UDP/TLS/RTP/SAVPF 111\\r\\n"}', "data channel"),
        ('{"type": "offer", "sdp": "garbage\\r\\nm=audio x\\r\\nm=application y\\r\\n"}', "cannot be used"),
    ],
)
def test_a_bad_sdp_offer_gets_400_with_a_reason(body: str, reason: str) -> None:
    response = client().post("/webrtc/offer", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_sdp" and reason in error["message"], error


def test_ice_servers_come_from_settings_only() -> None:
    assert client().get("/webrtc/config").json() == {"iceServers": []}
    c = client(
        ice_servers=["stun:stun.example.com:3478", "turn:turn.example.com:3478"],
        ice_username="u",
        ice_credential="p",
    )
    assert c.get("/webrtc/config").json()["iceServers"] == [
        {"urls": "stun:stun.example.com:3478"},
        {"urls": "turn:turn.example.com:3478", "username": "u", "credential": "p"},
    ]
