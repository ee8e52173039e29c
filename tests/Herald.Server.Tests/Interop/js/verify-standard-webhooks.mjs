// Verifies one delivered request with the reference Standard Webhooks library (npm 'standardwebhooks').
// Input: HERALD_SIGNED_REQUEST = {"secret": "whsec_...", "headers": {...}, "body": "..."}.
// Output: one JSON line {"verified": true} or {"verified": false, "error": "..."}.
import { Webhook } from 'standardwebhooks';

const request = JSON.parse(process.env.HERALD_SIGNED_REQUEST ?? '{}');
try {
  const payload = new Webhook(request.secret).verify(request.body, request.headers);
  console.log(JSON.stringify({ verified: true, payload }));
} catch (error) {
  console.log(JSON.stringify({ verified: false, error: String(error?.message ?? error) }));
}
