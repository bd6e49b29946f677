import * as pulumi from "@pulumi/pulumi";

/**
 * User data (base64) for a fresh fleet with no application yet: a tiny HTTP server on the service port that
 * answers the health path with 200 and anything else with 404. Without it the bare image serves nothing,
 * targets never pass their checks, the group replaces instances forever and both Route 53 checks fail.
 * Replace it with user data that installs the application (the `userData` arg).
 */
export function healthResponderUserData(port: number, healthPath: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(healthPath).apply((path) => {
        const script = `#!/bin/bash
# ha-platform placeholder: answers ${path} on port ${port} until the application replaces this user data.
cat > /usr/local/bin/ha-health-responder.py <<'PY'
import http.server
PORT, PATH = ${port}, ${JSON.stringify(path)}
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        healthy = self.path.split("?")[0] == PATH
        self.send_response(200 if healthy else 404)
        self.end_headers()
        self.wfile.write(b"ok\\n" if healthy else b"")
    do_HEAD = do_GET
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("", PORT), Health).serve_forever()
PY
cat > /etc/systemd/system/ha-health-responder.service <<'UNIT'
[Unit]
Description=ha-platform placeholder health responder
After=network-online.target
[Service]
ExecStart=/usr/bin/python3 /usr/local/bin/ha-health-responder.py
Restart=always
DynamicUser=yes
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now ha-health-responder.service
`;
        return Buffer.from(script).toString("base64");
    });
}
