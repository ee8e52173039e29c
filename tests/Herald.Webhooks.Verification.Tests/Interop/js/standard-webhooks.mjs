// Signs or verifies with the reference Standard Webhooks library (npm 'standardwebhooks').
// Input: HERALD_NPM_INPUT =
//   {"mode": "sign", "secret": "whsec_...", "id": "msg_...", "timestamp": 1767225600, "body": "..."}
//   {"mode": "verify", "secret": "whsec_...", "headers": {...}, "body": "..."}
// Output: one JSON line {"signature": "v1,..."} or {"verified": true|false, "error": "..."}.
import { Webhook } from 'standardwebhooks';

const input = JSON.parse(process.env.HERALD_NPM_INPUT ?? '{}');
const webhook = new Webhook(input.secret);
if (input.mode === 'sign') {
  console.log(JSON.stringify({ signature: webhook.sign(input.id, new Date(input.timestamp * 1000), input.body) }));
} else {
  try {
    webhook.verify(input.body, input.headers);
    console.log(JSON.stringify({ verified: true }));
  } catch (error) {
    console.log(JSON.stringify({ verified: false, error: String(error?.message ?? error) }));
  }
}
