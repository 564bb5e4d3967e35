#!/usr/bin/env python3
"""A local stand-in for the WeCom and DingTalk group robots, to try reminders without a real group.

    python3 tools/fake-robot/fake_robot.py [port]        # default 7172; DINGTALK_SECRET checks DingTalk signatures

WeCom:    POST /cgi-bin/webhook/send?key=...        DingTalk: POST /robot/send?access_token=...&timestamp=&sign=
Answers HTTP 200 {"errcode":0,"errmsg":"ok"} as both services do (310000 for a bad DingTalk signature) and prints
each message it takes.
"""
import base64, hashlib, hmac, json, os, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

SECRET = os.environ.get("DINGTALK_SECRET", "")


class Robot(BaseHTTPRequestHandler):
    def do_POST(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        errcode = 0
        if url.path == "/robot/send" and SECRET:
            expected = base64.b64encode(hmac.new(SECRET.encode(), f"{query.get('timestamp')}\n{SECRET}".encode(), hashlib.sha256).digest()).decode()
            if query.get("sign") != expected or abs(time.time() * 1000 - int(query.get("timestamp", 0))) > 3_600_000:
                errcode = 310000
        text = body.get("text", {})
        mentions = text.get("mentioned_mobile_list") or body.get("at", {}).get("atMobiles") or []
        kind = "wecom" if url.path.startswith("/cgi-bin") else "dingtalk" if url.path == "/robot/send" else "webhook"
        print(f"--- {kind} errcode={errcode} @{','.join(mentions)} ({len(text.get('content', '').encode())} bytes)\n{text.get('content', body)}", flush=True)
        answer = json.dumps({"errcode": errcode, "errmsg": "ok" if errcode == 0 else "sign not match"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 7172), Robot).serve_forever()
