/**
 * Synthetic credentials made to each provider's published format (prefix, alphabet, length, checksum): random,
 * never real. Seeded, so a labelled set is reproducible. Also the stand-ins and look-alikes a scanner must leave
 * alone, per family. Used by generate.mjs and by the unit test that checks every provider format is covered.
 */
import * as crypto from 'crypto';

export const HEX = '0123456789abcdef';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
export const B62 = `${UPPER}${LOWER}${DIGITS}`;
export const B64 = `${B62}+/`;
export const B64URL = `${B62}-_`;
export const B32 = `${UPPER}234567`;

/** mulberry32: a small seeded PRNG. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  const str = (alphabet, n) => Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join('');
  const bytes = (n) => Uint8Array.from({ length: n }, () => int(256));
  return { next, int, pick, str, bytes };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(text) {
  let crc = 0xffffffff;
  for (const ch of text) crc = CRC_TABLE[(crc ^ ch.charCodeAt(0)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
const BASE62_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function base62(value, width) {
  let out = '';
  for (let n = value; n > 0; n = Math.floor(n / 62)) out = BASE62_DIGITS[n % 62] + out;
  return out.padStart(width, '0');
}
const checksummed = (r, prefix) => {
  const body = r.str(B62, 30);
  return `${prefix}${body}${base62(crc32(body), 6)}`;
};
const uuid = (r) => `${r.str(HEX, 8)}-${r.str(HEX, 4)}-4${r.str(HEX, 3)}-${r.pick(['8', '9', 'a', 'b'])}${r.str(HEX, 3)}-${r.str(HEX, 12)}`;
const b64url = (text) => Buffer.from(text).toString('base64url');
const jwt = (r, payload) =>
  `${b64url(JSON.stringify({ alg: r.pick(['HS256', 'RS256', 'ES256']), typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.${r.str(B64URL, r.pick([43, 86, 342]))}`;

/**
 * Per provider format id: a generator of a token (and, for formats recognised by the name they are assigned
 * to, the names that carry it). `name` is a plausible variable for the token.
 */
/** A NATS NKey seed: base32 of the seed prefix with the key type, 32 random bytes and their CRC-16/XMODEM. */
function natsSeed(r) {
  const type = r.pick([20, 0, 14, 13, 2, 23]) << 3; // U, A, O, N, C, X
  const body = [(18 << 3) | (type >> 5), (type & 31) << 3, ...r.bytes(32)];
  let crc = 0;
  for (const byte of body) {
    crc ^= byte << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  const bytes = [...body, crc & 0xff, crc >> 8];
  let bits = 0;
  let buffer = 0;
  let out = '';
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) out += B32[(buffer >> (bits -= 5)) & 31];
  }
  return bits > 0 ? out + B32[(buffer << (5 - bits)) & 31] : out;
}

export const TOKENS = {
  // cloud
  'aws-access-key-id': {
    family: 'cloud',
    name: 'AWS_ACCESS_KEY_ID',
    make: (r) => `${r.pick(['AKIA', 'ASIA', 'AKIA', 'AKIA'])}${r.str(B32, 16)}`,
  },
  'aws-bedrock-api-key': { family: 'cloud', name: 'AWS_BEARER_TOKEN_BEDROCK', make: (r) => `ABSK${r.str(B64, 132)}` },
  'aws-bedrock-short-term-key': {
    family: 'cloud',
    name: 'BEDROCK_API_KEY',
    make: (r) => `bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t${r.str(B64, 400)}`,
  },
  'aws-mws-key': { family: 'cloud', name: 'MWS_AUTH_TOKEN', make: (r) => `amzn.mws.${uuid(r)}` },
  'gcp-api-key': { family: 'cloud', name: 'GOOGLE_API_KEY', make: (r) => `AIza${r.str(B64URL, 35)}` },
  'gcp-oauth-client-secret': { family: 'cloud', name: 'GOOGLE_CLIENT_SECRET', make: (r) => `GOCSPX-${r.str(B64URL, 28)}` },
  'gcp-oauth-refresh-token': { family: 'cloud', name: 'GOOGLE_REFRESH_TOKEN', make: (r) => `1//0${r.str(B64URL, 99)}` },
  'gcp-oauth-access-token': { family: 'cloud', name: 'GOOGLE_ACCESS_TOKEN', make: (r) => `ya29.${r.str(B64URL, 160)}` },
  'firebase-fcm-server-key': {
    family: 'cloud',
    name: 'FCM_SERVER_KEY',
    make: (r) => `AAAA${r.str(B64URL, 7)}:APA91b${r.str(B64URL, 134)}`,
  },
  'azure-storage-account-key': {
    family: 'cloud',
    name: 'AZURE_STORAGE_CONNECTION_STRING',
    make: (r) =>
      `DefaultEndpointsProtocol=https;AccountName=pump${r.str(LOWER, 6)};AccountKey=${r.str(B64, 86)}==;EndpointSuffix=core.windows.net`,
  },
  'azure-shared-access-key': {
    family: 'cloud',
    name: 'IOTHUB_DEVICE_CONNECTION_STRING',
    make: (r) => `HostName=fleet-${r.str(LOWER, 5)}.azure-devices.net;DeviceId=pump-${r.str(DIGITS, 3)};SharedAccessKey=${r.str(B64, 43)}=`,
  },
  'azure-sas-token': {
    family: 'cloud',
    name: 'BLOB_SAS_URL',
    make: (r) =>
      `https://pump${r.str(LOWER, 6)}.blob.core.windows.net/logs?sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2026-12-31T23:59:59Z&st=2025-01-01T00:00:00Z&spr=https&sig=${r.str(B62, 40)}%2B${r.str(B62, 8)}%3D`,
  },
  'azure-ad-client-secret': {
    family: 'cloud',
    name: 'AZURE_CLIENT_SECRET',
    make: (r) => `${r.str(`${B62}_~.`, 3)}${r.str(DIGITS, 1)}Q~${r.str(`${B62}_~.-`, 34)}`,
  },
  'azure-function-key': {
    family: 'cloud',
    name: 'FUNCTION_URL',
    make: (r) => `https://pumps.azurewebsites.net/api/ingest;AzureFunctionsKey=${r.str(B64URL, 54)}==`,
  },
  'alibaba-access-key-id': { family: 'cloud', name: 'ALIBABA_CLOUD_ACCESS_KEY_ID', make: (r) => `LTAI${r.str(B62, 20)}` },
  'tencent-secret-id': { family: 'cloud', name: 'TENCENTCLOUD_SECRET_ID', make: (r) => `AKID${r.str(B62, 32)}` },
  'digitalocean-token': {
    family: 'cloud',
    name: 'DIGITALOCEAN_TOKEN',
    make: (r) => `${r.pick(['dop', 'doo', 'dor'])}_v1_${r.str(HEX, 64)}`,
  },
  'heroku-api-key': { family: 'cloud', name: 'HEROKU_API_KEY', make: (r) => `HRKU-AA${r.str(B64URL, 58)}` },
  'cloudflare-origin-ca-key': { family: 'cloud', name: 'CF_ORIGIN_CA_KEY', make: (r) => `v1.0-${r.str(HEX, 24)}-${r.str(HEX, 146)}` },
  'scaleway-access-key': { family: 'cloud', name: 'SCW_ACCESS_KEY', make: (r) => `SCW${r.str(`${UPPER}${DIGITS}`, 17)}` },
  'databricks-token': { family: 'cloud', name: 'DATABRICKS_TOKEN', make: (r) => `dapi${r.str(HEX, 32)}` },
  'vault-token': { family: 'cloud', name: 'VAULT_TOKEN', make: (r) => `hvs.${r.str(B64URL, 90)}` },
  'terraform-cloud-token': {
    family: 'cloud',
    name: 'TF_TOKEN_app_terraform_io',
    make: (r) => `${r.str(B62, 14)}.atlasv1.${r.str(B64URL, 67)}`,
  },
  'pulumi-token': { family: 'cloud', name: 'PULUMI_ACCESS_TOKEN', make: (r) => `pul-${r.str(HEX, 40)}` },
  'doppler-token': { family: 'cloud', name: 'DOPPLER_TOKEN', make: (r) => `dp.${r.pick(['pt', 'st', 'sa'])}.${r.str(B62, 43)}` },
  'onepassword-service-account-token': { family: 'cloud', name: 'OP_SERVICE_ACCOUNT_TOKEN', make: (r) => `ops_eyJ${r.str(B64, 300)}` },
  'onepassword-secret-key': {
    family: 'cloud',
    name: 'OP_SECRET_KEY',
    make: (r) =>
      `A3-${r.str(`${UPPER}${DIGITS}`, 6)}-${r.str(`${UPPER}${DIGITS}`, 11)}-${r.str(`${UPPER}${DIGITS}`, 5)}-${r.str(`${UPPER}${DIGITS}`, 5)}-${r.str(`${UPPER}${DIGITS}`, 5)}`,
  },
  'planetscale-token': {
    family: 'cloud',
    name: 'PLANETSCALE_SERVICE_TOKEN',
    make: (r) => `pscale_${r.pick(['tkn', 'pw', 'oauth'])}_${r.str(B64URL, 43)}`,
  },
  'supabase-token': { family: 'cloud', name: 'SUPABASE_ACCESS_TOKEN', make: (r) => `sbp_${r.str(HEX, 40)}` },
  'flyio-token': { family: 'cloud', name: 'FLY_API_TOKEN', make: (r) => `fo1_${r.str(B64URL, 43)}` },
  'render-api-key': { family: 'cloud', name: 'RENDER_API_KEY', make: (r) => `rnd_${r.str(B62, 32)}` },
  'tailscale-key': {
    family: 'cloud',
    name: 'TS_AUTHKEY',
    make: (r) => `tskey-${r.pick(['auth', 'api', 'client'])}-${r.str(B62, 12)}-${r.str(B62, 33)}`,
  },
  'openshift-token': { family: 'cloud', name: 'OPENSHIFT_TOKEN', make: (r) => `sha256~${r.str(B64URL, 43)}` },
  'yandex-key': { family: 'cloud', name: 'YC_API_KEY', make: (r) => `AQVN${r.str(B64URL, 36)}` },
  'clickhouse-cloud-key': { family: 'cloud', name: 'CLICKHOUSE_KEY_SECRET', make: (r) => `4b1d${r.str(B62, 38)}` },
  'ibm-cloud-iam-key': { family: 'cloud', name: 'IBM_CLOUD_APIKEY', make: (r) => `ApiKey-${uuid(r)}` },
  // source hosting, CI, registries
  'github-pat': { family: 'source-ci', name: 'GITHUB_TOKEN', make: (r) => checksummed(r, 'ghp_') },
  'github-oauth-token': { family: 'source-ci', name: 'GH_OAUTH_TOKEN', make: (r) => checksummed(r, 'gho_') },
  'github-app-token': { family: 'source-ci', name: 'GH_APP_TOKEN', make: (r) => checksummed(r, r.pick(['ghu_', 'ghs_'])) },
  'github-refresh-token': { family: 'source-ci', name: 'GH_REFRESH_TOKEN', make: (r) => checksummed(r, 'ghr_') },
  'github-fine-grained-pat': {
    family: 'source-ci',
    name: 'GITHUB_PAT',
    make: (r) => `github_pat_11${r.str(`${UPPER}${DIGITS}`, 20)}_${r.str(B62, 59)}`,
  },
  'gitlab-token': {
    family: 'source-ci',
    name: 'GITLAB_TOKEN',
    make: (r) => `${r.pick(['glpat', 'gldt', 'glrt', 'glsoat', 'glft'])}-${r.str(B64URL, 20)}`,
  },
  'gitlab-pipeline-trigger-token': { family: 'source-ci', name: 'CI_TRIGGER_TOKEN', make: (r) => `glptt-${r.str(HEX, 40)}` },
  'gitlab-runner-registration-token': {
    family: 'source-ci',
    name: 'RUNNER_REGISTRATION_TOKEN',
    make: (r) => `GR1348941${r.str(B64URL, 20)}`,
  },
  'bitbucket-app-password': { family: 'source-ci', name: 'BITBUCKET_APP_PASSWORD', make: (r) => `ATBB${r.str(B62, 32)}` },
  'atlassian-api-token': {
    family: 'source-ci',
    name: 'JIRA_API_TOKEN',
    make: (r) => `ATATT3xFfGF0${r.str(B64URL, 170)}=${r.str('ABCDEF0123456789', 8)}`,
  },
  'npm-token': { family: 'source-ci', name: 'NPM_TOKEN', make: (r) => checksummed(r, 'npm_') },
  'pypi-token': { family: 'source-ci', name: 'PYPI_API_TOKEN', make: (r) => `pypi-AgEIcHlwaS5vcmc${r.str(B64URL, 150)}` },
  'docker-hub-token': { family: 'source-ci', name: 'DOCKERHUB_TOKEN', make: (r) => `dckr_pat_${r.str(B64URL, 27)}` },
  'rubygems-token': { family: 'source-ci', name: 'GEM_HOST_API_KEY', make: (r) => `rubygems_${r.str(HEX, 48)}` },
  'nuget-api-key': { family: 'source-ci', name: 'NUGET_API_KEY', make: (r) => `oy2${r.str(`${LOWER}${DIGITS}`, 43)}` },
  'artifactory-token': { family: 'source-ci', name: 'ARTIFACTORY_API_KEY', make: (r) => `AKCp${r.str(B62, 69)}` },
  'buildkite-token': { family: 'source-ci', name: 'BUILDKITE_API_TOKEN', make: (r) => `bkua_${r.str(HEX, 40)}` },
  'sonarqube-token': { family: 'source-ci', name: 'SONAR_TOKEN', make: (r) => `${r.pick(['squ', 'sqp', 'sqa'])}_${r.str(HEX, 40)}` },
  'sourcegraph-token': { family: 'source-ci', name: 'SRC_ACCESS_TOKEN', make: (r) => `sgp_${r.str(HEX, 16)}_${r.str(HEX, 40)}` },
  'clojars-token': { family: 'source-ci', name: 'CLOJARS_TOKEN', make: (r) => `CLOJARS_${r.str(`${LOWER}${DIGITS}`, 60)}` },
  'octopus-deploy-key': { family: 'source-ci', name: 'OCTOPUS_API_KEY', make: (r) => `API-${r.str(`${UPPER}${DIGITS}`, 26)}` },
  'harness-token': {
    family: 'source-ci',
    name: 'HARNESS_API_KEY',
    make: (r) => `pat.${r.str(B64URL, 22)}.${r.str(B62, 24)}.${r.str(B62, 20)}`,
  },
  'circleci-token': { family: 'source-ci', name: 'CIRCLE_TOKEN', make: (r) => `CCIPAT_${r.str(B62, 22)}_${r.str(HEX, 40)}` },
  'gitea-token': { family: 'source-ci', name: 'GITEA_TOKEN', make: (r) => `gta_${r.str(HEX, 40)}` },
  'jetbrains-space-token': {
    family: 'source-ci',
    name: 'SPACE_TOKEN',
    make: (r) => `perm:${r.str(B64, 12)}.${r.str(B64, 16)}.${r.str(B62, 30)}`,
  },
  // messaging, SaaS, payments, monitoring
  'nats-nkey-seed': { family: 'messaging-saas', name: 'NATS_NKEY_SEED', make: (r) => natsSeed(r) },
  'slack-bot-token': {
    family: 'messaging-saas',
    name: 'SLACK_BOT_TOKEN',
    make: (r) => `xoxb-${r.str(DIGITS, 12)}-${r.str(DIGITS, 13)}-${r.str(B62, 24)}`,
  },
  'slack-user-token': {
    family: 'messaging-saas',
    name: 'SLACK_USER_TOKEN',
    make: (r) => `xoxp-${r.str(DIGITS, 12)}-${r.str(DIGITS, 12)}-${r.str(DIGITS, 13)}-${r.str(HEX, 32)}`,
  },
  'slack-legacy-token': { family: 'messaging-saas', name: 'SLACK_LEGACY_TOKEN', make: (r) => `xoxa-2-${r.str(B62, 40)}` },
  'slack-config-token': { family: 'messaging-saas', name: 'SLACK_CONFIG_TOKEN', make: (r) => `xoxe.xoxp-1-${r.str(B62, 163)}` },
  'slack-app-token': {
    family: 'messaging-saas',
    name: 'SLACK_APP_TOKEN',
    make: (r) => `xapp-1-A${r.str(`${UPPER}${DIGITS}`, 10)}-${r.str(DIGITS, 13)}-${r.str(HEX, 64)}`,
  },
  'slack-webhook': {
    family: 'messaging-saas',
    name: 'SLACK_WEBHOOK_URL',
    make: (r) => `https://hooks.slack.com/services/T${r.str(`${UPPER}${DIGITS}`, 10)}/B${r.str(`${UPPER}${DIGITS}`, 10)}/${r.str(B62, 24)}`,
  },
  'discord-webhook': {
    family: 'messaging-saas',
    name: 'DISCORD_WEBHOOK',
    make: (r) => `https://discord.com/api/webhooks/${r.str(DIGITS, 19)}/${r.str(B64URL, 68)}`,
  },
  'telegram-bot-token': {
    family: 'messaging-saas',
    name: 'TELEGRAM_BOT_TOKEN',
    make: (r) => `${r.str(DIGITS, 10)}:AA${r.str(B64URL, 33)}`,
  },
  'teams-webhook': {
    family: 'messaging-saas',
    name: 'TEAMS_WEBHOOK',
    make: (r) => `https://hospital.webhook.office.com/webhookb2/${uuid(r)}@${uuid(r)}/IncomingWebhook/${r.str(HEX, 32)}/${uuid(r)}`,
  },
  'twilio-api-key': { family: 'messaging-saas', name: 'TWILIO_API_KEY', make: (r) => `SK${r.str(HEX, 32)}` },
  'sendgrid-api-key': { family: 'messaging-saas', name: 'SENDGRID_API_KEY', make: (r) => `SG.${r.str(B64URL, 22)}.${r.str(B64URL, 43)}` },
  'mailgun-api-key': { family: 'messaging-saas', name: 'MAILGUN_KEY', make: (r) => `key-${r.str(HEX, 32)}` },
  'mailchimp-api-key': { family: 'messaging-saas', name: 'MAILCHIMP_API_KEY', make: (r) => `${r.str(HEX, 32)}-us${r.int(20) + 1}` },
  'brevo-api-key': { family: 'messaging-saas', name: 'BREVO_API_KEY', make: (r) => `xkeysib-${r.str(HEX, 64)}-${r.str(B62, 16)}` },
  'mailersend-token': { family: 'messaging-saas', name: 'MAILERSEND_API_TOKEN', make: (r) => `mlsn.${r.str(HEX, 64)}` },
  'stripe-secret-key': {
    family: 'messaging-saas',
    name: 'STRIPE_SECRET_KEY',
    make: (r) => `${r.pick(['sk', 'rk'])}_live_${r.str(B62, r.pick([24, 99]))}`,
  },
  'stripe-test-key': { family: 'messaging-saas', name: 'STRIPE_TEST_KEY', make: (r) => `sk_test_${r.str(B62, 24)}` },
  'stripe-webhook-secret': { family: 'messaging-saas', name: 'STRIPE_WEBHOOK_SECRET', make: (r) => `whsec_${r.str(B62, 32)}` },
  'square-token': {
    family: 'messaging-saas',
    name: 'SQUARE_ACCESS_TOKEN',
    make: (r) => r.pick([`EAAA${r.str(B64URL, 60)}`, `sq0atp-${r.str(B64URL, 22)}`, `sq0csp-${r.str(B64URL, 43)}`]),
  },
  'braintree-token': {
    family: 'messaging-saas',
    name: 'BRAINTREE_ACCESS_TOKEN',
    make: (r) => `access_token$production$${r.str(`${LOWER}${DIGITS}`, 16)}$${r.str(HEX, 32)}`,
  },
  'shopify-token': {
    family: 'messaging-saas',
    name: 'SHOPIFY_ACCESS_TOKEN',
    make: (r) => `${r.pick(['shpat', 'shpss', 'shpca', 'shppa'])}_${r.str(HEX, 32)}`,
  },
  'flutterwave-key': { family: 'messaging-saas', name: 'FLW_SECRET_KEY', make: (r) => `FLWSECK_TEST-${r.str('abcdefgh0123456789', 32)}-X` },
  'razorpay-key': { family: 'messaging-saas', name: 'RAZORPAY_KEY_ID', make: (r) => `rzp_live_${r.str(B62, 14)}` },
  'plaid-access-token': { family: 'messaging-saas', name: 'PLAID_ACCESS_TOKEN', make: (r) => `access-production-${uuid(r)}` },
  'easypost-key': { family: 'messaging-saas', name: 'EASYPOST_API_KEY', make: (r) => `EZAK${r.str(B62, 54)}` },
  'shippo-token': { family: 'messaging-saas', name: 'SHIPPO_API_TOKEN', make: (r) => `shippo_live_${r.str(HEX, 40)}` },
  'duffel-token': { family: 'messaging-saas', name: 'DUFFEL_ACCESS_TOKEN', make: (r) => `duffel_live_${r.str(B64URL, 43)}` },
  'facebook-access-token': { family: 'messaging-saas', name: 'FB_PAGE_ACCESS_TOKEN', make: (r) => `EAAC${r.str(B62, 180)}` },
  'twitter-bearer-token': {
    family: 'messaging-saas',
    name: 'TWITTER_BEARER_TOKEN',
    make: (r) => `${'A'.repeat(22)}${r.str(B62, 60)}%3D${r.str(B62, 30)}`,
  },
  'contentful-token': { family: 'messaging-saas', name: 'CONTENTFUL_MANAGEMENT_TOKEN', make: (r) => `CFPAT-${r.str(B64URL, 43)}` },
  'mapbox-secret-token': {
    family: 'messaging-saas',
    name: 'MAPBOX_SECRET_TOKEN',
    make: (r) => `sk.eyJ${r.str(B64URL, 60)}.${r.str(B64URL, 22)}`,
  },
  'typeform-token': { family: 'messaging-saas', name: 'TYPEFORM_TOKEN', make: (r) => `tfp_${r.str(B64URL, 59)}` },
  'airtable-token': { family: 'messaging-saas', name: 'AIRTABLE_TOKEN', make: (r) => `pat${r.str(B62, 14)}.${r.str(HEX, 64)}` },
  'notion-token': {
    family: 'messaging-saas',
    name: 'NOTION_TOKEN',
    make: (r) => r.pick([`secret_${r.str(B62, 43)}`, `ntn_${r.str(DIGITS, 11)}${r.str(B62, 35)}`]),
  },
  'figma-token': { family: 'messaging-saas', name: 'FIGMA_TOKEN', make: (r) => `figd_${r.str(B64URL, 40)}` },
  'hubspot-token': { family: 'messaging-saas', name: 'HUBSPOT_TOKEN', make: (r) => `pat-na1-${uuid(r)}` },
  'linear-api-key': { family: 'messaging-saas', name: 'LINEAR_API_KEY', make: (r) => `lin_api_${r.str(B62, 40)}` },
  'postman-api-key': { family: 'messaging-saas', name: 'POSTMAN_API_KEY', make: (r) => `PMAK-${r.str(HEX, 24)}-${r.str(HEX, 34)}` },
  'grafana-token': {
    family: 'messaging-saas',
    name: 'GRAFANA_TOKEN',
    make: (r) => r.pick([`glc_${r.str(B64, 80)}`, `glsa_${r.str(B62, 32)}_${r.str(HEX, 8)}`]),
  },
  'grafana-api-key': {
    family: 'messaging-saas',
    name: 'GRAFANA_API_KEY',
    make: (r) =>
      Buffer.from(`{"k":"${r.str(B62, 32)}","n":"deploy","id":${r.int(9) + 1}}`)
        .toString('base64')
        .replace(/=+$/, ''),
  },
  'new-relic-key': {
    family: 'messaging-saas',
    name: 'NEW_RELIC_API_KEY',
    make: (r) => r.pick([`NRAK-${r.str(`${UPPER}${DIGITS}`, 27)}`, `NRJS-${r.str(HEX, 19)}`]),
  },
  'sentry-token': { family: 'messaging-saas', name: 'SENTRY_AUTH_TOKEN', make: (r) => `sntryu_${r.str(HEX, 64)}` },
  'dynatrace-token': {
    family: 'messaging-saas',
    name: 'DT_API_TOKEN',
    make: (r) => `dt0c01.${r.str(`${UPPER}${DIGITS}`, 24)}.${r.str(`${UPPER}${DIGITS}`, 64)}`,
  },
  'readme-token': { family: 'messaging-saas', name: 'README_API_KEY', make: (r) => `rdme_${r.str(`${LOWER}${DIGITS}`, 70)}` },
  'prefect-token': { family: 'messaging-saas', name: 'PREFECT_API_KEY', make: (r) => `pnu_${r.str(B62, 36)}` },
  'maxmind-license-key': { family: 'messaging-saas', name: 'MAXMIND_LICENSE_KEY', make: (r) => `${r.str(B62, 6)}_${r.str(B62, 29)}_mmk` },
  'frameio-token': { family: 'messaging-saas', name: 'FRAMEIO_TOKEN', make: (r) => `fio-u-${r.str(B64URL, 64)}` },
  'infracost-token': { family: 'messaging-saas', name: 'INFRACOST_API_KEY', make: (r) => `ico-${r.str(B62, 32)}` },
  'scalingo-token': { family: 'messaging-saas', name: 'SCALINGO_API_TOKEN', make: (r) => `tk-us-${r.str(B64URL, 48)}` },
  'settlemint-token': { family: 'messaging-saas', name: 'SETTLEMINT_TOKEN', make: (r) => `sm_pat_${r.str(B62, 16)}` },
  'adobe-client-secret': { family: 'messaging-saas', name: 'ADOBE_CLIENT_SECRET', make: (r) => `p8e-${r.str(B62, 32)}` },
  'intra42-secret': { family: 'messaging-saas', name: 'FT_CLIENT_SECRET', make: (r) => `s-s4t2ud-${r.str(HEX, 64)}` },
  'zapier-webhook': {
    family: 'messaging-saas',
    name: 'ZAPIER_HOOK',
    make: (r) => `https://hooks.zapier.com/hooks/catch/${r.str(DIGITS, 8)}/${r.str(`${LOWER}${DIGITS}`, 7)}/`,
  },
  'age-secret-key': {
    family: 'private-key',
    name: 'SOPS_AGE_KEY',
    make: (r) => `AGE-SECRET-KEY-1${r.str('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`,
  },
  // AI
  'openai-project-key': { family: 'ai', name: 'OPENAI_API_KEY', make: (r) => `sk-proj-${r.str(B64URL, 74)}T3BlbkFJ${r.str(B64URL, 74)}` },
  'openai-legacy-key': { family: 'ai', name: 'OPENAI_API_KEY', make: (r) => `sk-${r.str(B62, 20)}T3BlbkFJ${r.str(B62, 20)}` },
  'openai-style-key': { family: 'ai', name: 'LLM_API_KEY', make: (r) => `sk-${r.str(B62, 48)}` },
  'anthropic-api-key': {
    family: 'ai',
    name: 'ANTHROPIC_API_KEY',
    make: (r) => `sk-ant-${r.pick(['api03', 'admin01'])}-${r.str(B64URL, 93)}AA`,
  },
  'openrouter-key': { family: 'ai', name: 'OPENROUTER_API_KEY', make: (r) => `sk-or-v1-${r.str(HEX, 64)}` },
  'huggingface-token': {
    family: 'ai',
    name: 'HF_TOKEN',
    make: (r) => `${r.pick(['hf_', 'hf_', 'api_org_'])}${r.str(`${UPPER}${LOWER}`, 34)}`,
  },
  'replicate-token': { family: 'ai', name: 'REPLICATE_API_TOKEN', make: (r) => `r8_${r.str(B62, 37)}` },
  'groq-key': { family: 'ai', name: 'GROQ_API_KEY', make: (r) => `gsk_${r.str(B62, 52)}` },
  'perplexity-key': { family: 'ai', name: 'PERPLEXITY_API_KEY', make: (r) => `pplx-${r.str(B62, 48)}` },
  'xai-key': { family: 'ai', name: 'XAI_API_KEY', make: (r) => `xai-${r.str(B62, 80)}` },
  'langsmith-key': {
    family: 'ai',
    name: 'LANGSMITH_API_KEY',
    make: (r) => `lsv2_${r.pick(['pt', 'sk'])}_${r.str(HEX, 32)}_${r.str(HEX, 10)}`,
  },
  'pinecone-key': { family: 'ai', name: 'PINECONE_API_KEY', make: (r) => `pcsk_${r.str(B62, 6)}_${r.str(B62, 64)}` },
  'nvidia-key': { family: 'ai', name: 'NVIDIA_API_KEY', make: (r) => `nvapi-${r.str(B64URL, 64)}` },
  'fireworks-key': { family: 'ai', name: 'FIREWORKS_API_KEY', make: (r) => `fw_${r.str(B62, 24)}` },
  'elevenlabs-key': { family: 'ai', name: 'ELEVENLABS_API_KEY', make: (r) => `sk_${r.str(HEX, 48)}` },
  'deepseek-key': { family: 'ai', name: 'DEEPSEEK_API_KEY', make: (r) => `sk-${r.str(HEX, 32)}` },
  'google-ai-studio-token': { family: 'ai', name: 'GEMINI_API_KEY', make: (r) => `AQ.Ab8RN6${r.str(B64URL, 45)}` },
  // JWT
  jwt: {
    family: 'jwt',
    name: 'SERVICE_JWT',
    make: (r) => jwt(r, { sub: `pump-${r.str(DIGITS, 4)}`, iss: 'fleet.infusafe', iat: 1716000000 + r.int(1e6), scope: 'telemetry:write' }),
  },
};

/** Formats recognised by the name the value is assigned to: the names, and the value shape. */
export const SLOT_TOKENS = {
  'aws-secret-access-key': {
    family: 'cloud',
    names: ['aws_secret_access_key', 'AWS_SECRET_ACCESS_KEY', 'awsSecretKey'],
    make: (r) => r.str(B64, 40),
  },
  'aws-session-token': {
    family: 'cloud',
    names: ['aws_session_token', 'AWS_SESSION_TOKEN'],
    make: (r) => `IQoJb3JpZ2luX2Vj${r.str(B64, 300)}`,
  },
  'azure-storage-account-key': { family: 'cloud', names: ['AZURE_STORAGE_KEY', 'storageAccountKey'], make: (r) => `${r.str(B64, 86)}==` },
  'azure-devops-pat': {
    family: 'source-ci',
    names: ['AZURE_DEVOPS_PAT', 'ado_token'],
    make: (r) => r.str('abcdefghijklmnopqrstuvwxyz234567', 52),
  },
  'azure-openai-key': { family: 'ai', names: ['AZURE_OPENAI_API_KEY', 'azureOpenAiKey'], make: (r) => r.str(HEX, 32) },
  'heroku-api-key': { family: 'cloud', names: ['HEROKU_API_KEY', 'heroku_api_key'], make: (r) => uuid(r) },
  'cloudflare-api-token': { family: 'cloud', names: ['CLOUDFLARE_API_TOKEN', 'cloudflare_token'], make: (r) => r.str(B64URL, 40) },
  'github-legacy-token': { family: 'source-ci', names: ['GITHUB_OAUTH_TOKEN', 'github_token'], make: (r) => r.str(HEX, 40) },
  'bitbucket-secret': { family: 'source-ci', names: ['BITBUCKET_CLIENT_SECRET'], make: (r) => r.str(B62, 32) },
  'npm-legacy-token': { family: 'source-ci', names: ['//registry.npmjs.org/:_authToken'], make: (r) => uuid(r) },
  'travis-token': { family: 'source-ci', names: ['TRAVIS_API_TOKEN'], make: (r) => r.str(B62, 22) },
  'codecov-token': { family: 'source-ci', names: ['CODECOV_TOKEN'], make: (r) => uuid(r) },
  'snyk-token': { family: 'source-ci', names: ['SNYK_TOKEN'], make: (r) => uuid(r) },
  'twilio-auth-token': { family: 'messaging-saas', names: ['TWILIO_AUTH_TOKEN', 'twilioAuthToken'], make: (r) => r.str(HEX, 32) },
  'mailgun-key': {
    family: 'messaging-saas',
    names: ['MAILGUN_API_KEY', 'mailgun_signing_key'],
    make: (r) => `${r.str(HEX, 32)}-${r.str(HEX, 8)}-${r.str(HEX, 8)}`,
  },
  'postmark-token': { family: 'messaging-saas', names: ['POSTMARK_SERVER_TOKEN'], make: (r) => uuid(r) },
  'datadog-key': {
    family: 'messaging-saas',
    names: ['DD_API_KEY', 'DATADOG_APP_KEY', 'datadog_api_key'],
    make: (r) => r.str(HEX, r.pick([32, 40])),
  },
  'launchdarkly-key': { family: 'messaging-saas', names: ['LAUNCHDARKLY_SDK_KEY'], make: (r) => `sdk-${uuid(r)}` },
  'hubspot-api-key': { family: 'messaging-saas', names: ['HUBSPOT_API_KEY'], make: (r) => uuid(r) },
  'okta-token': { family: 'messaging-saas', names: ['OKTA_API_TOKEN', 'okta_token'], make: (r) => `00${r.str(B64URL, 40)}` },
  'discord-bot-token': {
    family: 'messaging-saas',
    names: ['DISCORD_BOT_TOKEN', 'discordToken'],
    make: (r) => `M${r.str(B64URL, 25)}.${r.str(B64URL, 6)}.${r.str(B64URL, 38)}`,
  },
  'algolia-admin-key': { family: 'messaging-saas', names: ['ALGOLIA_ADMIN_API_KEY'], make: (r) => r.str(HEX, 32) },
  'sentry-token': { family: 'messaging-saas', names: ['SENTRY_AUTH_TOKEN_LEGACY'], make: (r) => r.str(HEX, 64) },
  'pagerduty-key': { family: 'messaging-saas', names: ['PAGERDUTY_API_KEY'], make: (r) => r.str(`${B62}+_-`, 20) },
  'splunk-hec-token': { family: 'messaging-saas', names: ['SPLUNK_HEC_TOKEN'], make: (r) => uuid(r) },
  'pusher-secret': { family: 'messaging-saas', names: ['PUSHER_APP_SECRET'], make: (r) => r.str(HEX, 20) },
  'blynk-auth-token': { family: 'messaging-saas', names: ['BLYNK_AUTH_TOKEN'], make: (r) => r.str(B64URL, 32) },
  'particle-token': { family: 'messaging-saas', names: ['PARTICLE_ACCESS_TOKEN'], make: (r) => r.str(HEX, 40) },
  'thingspeak-key': {
    family: 'messaging-saas',
    names: ['THINGSPEAK_WRITE_API_KEY', 'channelWriteKey'],
    make: (r) => r.str(`${UPPER}${DIGITS}`, 16),
  },
  'vonage-secret': { family: 'messaging-saas', names: ['VONAGE_API_SECRET', 'NEXMO_API_SECRET'], make: (r) => r.str(B62, 16) },
  'cohere-key': { family: 'ai', names: ['COHERE_API_KEY', 'CO_API_KEY'], make: (r) => r.str(B62, 40) },
  'mistral-key': { family: 'ai', names: ['MISTRAL_API_KEY'], make: (r) => r.str(B62, 32) },
  'together-key': { family: 'ai', names: ['TOGETHER_API_KEY'], make: (r) => r.str(HEX, 64) },
  'assemblyai-key': { family: 'ai', names: ['ASSEMBLYAI_API_KEY'], make: (r) => r.str(HEX, 32) },
  'deepgram-key': { family: 'ai', names: ['DEEPGRAM_API_KEY'], make: (r) => r.str(HEX, 40) },
  'wandb-key': { family: 'ai', names: ['WANDB_API_KEY'], make: (r) => r.str(HEX, 40) },
  'openai-key-in-slot': { family: 'ai', names: ['OPENAI_API_KEY'], make: (r) => `sk-${r.str(B62, 32)}` },
};

/** Names that hold a secret whatever the provider, for generic secrets. */
export const GENERIC_NAMES = {
  token: [
    'api_token',
    'auth_token',
    'access_token',
    'apiKey',
    'API_KEY',
    'client_secret',
    'clientSecret',
    'jwt_secret',
    'webhook_secret',
    'session_secret',
    'signing_secret',
    'secret_key',
    'SECRET_KEY',
    'app_secret',
    'private_token',
    'service_token',
    'deviceToken',
    'refresh_token',
    'bearerToken',
    'x-api-key',
  ],
  password: [
    'password',
    'db_password',
    'DB_PASSWORD',
    'mqtt_password',
    'adminPassword',
    'passwd',
    'pwd',
    'smtp_password',
    'keystore_password',
    'wifi_password',
    'psk',
    'passphrase',
    'broker_pass',
    'sftp_password',
  ],
};

/** A generated secret value for a generic name: random in an alphabet providers and frameworks use. */
export function genericToken(r) {
  return r.pick([
    () => r.str(HEX, r.pick([32, 40, 64])),
    () => r.str(B62, r.pick([24, 32, 40])),
    () => r.str(B64, r.pick([32, 44])) + r.pick(['', '=']),
    () => `${r.str(B64URL, 43)}`,
  ])();
}

/** A password someone chose: mixed letters, digits and a symbol, or a generated one. */
export function genericPassword(r) {
  const words = ['Ward', 'Pump', 'Infuse', 'Clinic', 'Fleet', 'Nurse', 'Saline', 'Harbor', 'Orbit', 'Maple', 'Falcon', 'Cobalt'];
  return r.pick([
    () =>
      `${r.pick(words)}${r.int(90) + 10}${r.pick(['!', '#', '$', '%', '&', '*', '-', '@'])}${r.pick(words).toLowerCase()}${r.int(900) + 100}`,
    () => r.str(`${B62}!#%&*+-=?@^_`, r.pick([12, 16, 20])),
    () => `${r.str(B62, 8)}${r.pick(['!', '#', '@'])}${r.str(B62, 4)}`,
  ])();
}

/** A URL or connection string with a password. */
export function connectionString(r) {
  const password = r.pick([() => r.str(B62, 16), () => genericPassword(r).replace(/[@/#:?]/g, 'x')])();
  const host = `${r.pick(['db', 'broker', 'cache', 'mq', 'sftp'])}.${r.pick(['fleet', 'ward7', 'prod'])}.internal`;
  return r.pick([
    () => ({ value: `postgresql://fleet:${password}@${host}:5432/pumps`, secret: password }),
    () => ({
      value: `mongodb+srv://svc-telemetry:${password}@cluster0.${r.str(LOWER, 5)}.mongodb.net/telemetry?retryWrites=true`,
      secret: password,
    }),
    () => ({ value: `mqtts://pump-${r.str(DIGITS, 3)}:${password}@${host}:8883`, secret: password }),
    () => ({ value: `redis://:${password}@${host}:6379/0`, secret: password }),
    () => ({ value: `amqps://ingest:${password}@${host}:5671/vhost`, secret: password }),
    () => ({ value: `https://deploy:${password}@nexus.${r.pick(['hospital', 'infusafe'])}.internal/repository/raw/`, secret: password }),
    () => ({ value: `sftp://logs:${password}@${host}/upload`, secret: password }),
  ])();
}

/** Stand-ins and look-alikes, per family: none of these is a secret. `name` is where they sit. */
export function negatives(r) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return {
    cloud: [
      { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' },
      { name: 'aws_secret_access_key', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAXXXXXXXXXXXXXXXX' },
      { name: 'AWS_ACCESS_KEY_ID', value: '${AWS_ACCESS_KEY_ID}' },
      { name: 'GOOGLE_API_KEY', value: 'AIzaSy**********************************' },
      { name: 'GOOGLE_API_KEY', value: '<your-google-api-key>' },
      {
        name: 'AZURE_STORAGE_CONNECTION_STRING',
        value: 'DefaultEndpointsProtocol=https;AccountName=<account>;AccountKey=<key>;EndpointSuffix=core.windows.net',
      },
      { name: 'AZURE_STORAGE_CONNECTION_STRING', value: 'UseDevelopmentStorage=true' },
      { name: 'aws_region', value: r.pick(['eu-central-1', 'us-east-1']) },
      { name: 'AWS_ROLE_ARN', value: `arn:aws:iam::${r.str(DIGITS, 12)}:role/pump-uploader` },
      { name: 'instance_type', value: 't1.micro' },
      { name: 'GCP_PROJECT', value: `infusafe-${r.str(LOWER, 6)}` },
      { name: 'AZURE_TENANT_ID', value: uuid(r) },
      { name: 'AZURE_CLIENT_ID', value: uuid(r) },
      { name: 'ASKID', value: `ASKI${r.str(LOWER, 16)}` },
    ],
    'source-ci': [
      { name: 'GITHUB_TOKEN', value: 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
      { name: 'GITHUB_TOKEN', value: '${{ secrets.GITHUB_TOKEN }}' },
      { name: 'GITHUB_TOKEN', value: 'ghp_****' },
      { name: 'NPM_TOKEN', value: 'npm_YOUR_TOKEN_HERE' },
      { name: 'GITLAB_TOKEN', value: 'glpat-xxxxxxxxxxxxxxxxxxxx' },
      { name: 'PYPI_API_TOKEN', value: 'pypi-<token>' },
      { name: 'commit', value: r.str(HEX, 40) },
      { name: 'GIT_SHA', value: r.str(HEX, 40) },
      { name: 'integrity', value: `sha512-${r.str(B64, 86)}==` },
      { name: 'checksum', value: `sha256:${r.str(HEX, 64)}` },
      { name: 'DOCKER_IMAGE', value: `registry.example.org/pump/gateway@sha256:${r.str(HEX, 64)}` },
      { name: 'GITHUB_REPOSITORY', value: 'infusafe/pump-firmware' },
      { name: 'ref', value: 'refs/heads/main' },
    ],
    'messaging-saas': [
      { name: 'SLACK_BOT_TOKEN', value: 'xoxb-your-bot-token' },
      { name: 'SLACK_WEBHOOK_URL', value: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX' },
      { name: 'STRIPE_SECRET_KEY', value: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc' },
      { name: 'STRIPE_PUBLISHABLE_KEY', value: `pk_live_${r.str(B62, 24)}` },
      { name: 'STRIPE_SECRET_KEY', value: 'sk_live_...' },
      { name: 'TWILIO_ACCOUNT_SID', value: `AC${r.str(HEX, 32)}` },
      { name: 'SENDGRID_API_KEY', value: 'SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
      { name: 'SENTRY_DSN', value: `https://${r.str(HEX, 32)}@o${r.str(DIGITS, 6)}.ingest.sentry.io/${r.str(DIGITS, 7)}` },
      { name: 'MAILCHIMP_LIST_ID', value: r.str(HEX, 10) },
      { name: 'DISCORD_CHANNEL_ID', value: r.str(DIGITS, 18) },
      { name: 'TELEGRAM_CHAT_ID', value: `-100${r.str(DIGITS, 10)}` },
      { name: 'DATADOG_SITE', value: 'datadoghq.eu' },
    ],
    ai: [
      { name: 'OPENAI_API_KEY', value: 'sk-...' },
      { name: 'OPENAI_API_KEY', value: 'sk-your-openai-key' },
      { name: 'OPENAI_API_KEY', value: 'sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' },
      { name: 'ANTHROPIC_API_KEY', value: 'sk-ant-api03-...' },
      { name: 'HF_TOKEN', value: 'hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
      { name: 'OPENAI_MODEL', value: r.pick(['gpt-4o-mini', 'o3-mini']) },
      { name: 'HF_MODEL', value: 'sentence-transformers/all-MiniLM-L6-v2' },
      { name: 'OPENAI_ORG', value: `org-${r.str(B62, 24)}` },
      { name: 'ANTHROPIC_API_KEY', value: '${ANTHROPIC_API_KEY}' },
    ],
    jwt: [
      {
        name: 'EXAMPLE_JWT',
        value:
          'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      },
      {
        name: 'SUPABASE_ANON_KEY',
        value: `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iss: 'supabase', ref: r.str(LOWER, 20), role: 'anon', iat: 1700000000 })}.${r.str(B64URL, 43)}`,
      },
      { name: 'TOKEN_PREFIX', value: 'eyJ' },
      { name: 'payload', value: `eyJ${r.str(B64URL, 30)}.eyJ${r.str(B64URL, 40)}.${r.str(B64URL, 20)}` },
      { name: 'JWT', value: 'eyJhbGciOi...<redacted>' },
      { name: 'JWT_ALGORITHM', value: 'RS256' },
    ],
    'connection-string': [
      { name: 'DATABASE_URL', value: 'postgres://user:password@localhost:5432/pumps' },
      { name: 'DATABASE_URL', value: 'postgres://postgres:postgres@localhost:5432/pumps' },
      { name: 'MONGO_URL', value: 'mongodb://<user>:<password>@cluster0.example.mongodb.net' },
      { name: 'REDIS_URL', value: 'redis://:${REDIS_PASSWORD}@cache:6379/0' },
      { name: 'AMQP_URL', value: 'amqp://guest:guest@localhost:5672/' },
      { name: 'BROKER_URL', value: `mqtts://pump-${r.str(DIGITS, 3)}@broker.fleet.internal:8883` },
      { name: 'REPO_URL', value: 'git+ssh://git@github.com:infusafe/pump-firmware.git' },
      { name: 'DATABASE_URL', value: 'mysql://root:****@db:3306/pumps' },
      { name: 'SFTP_URL', value: 'sftp://logs:%s@sftp.fleet.internal/upload' },
    ],
    generic: [
      { name: 'password', value: '${DB_PASSWORD}' },
      { name: 'password', value: '<password>' },
      { name: 'password', value: 'changeme' },
      { name: 'password', value: '' },
      { name: 'password', value: 'DB_PASSWORD' },
      { name: 'api_key', value: 'your-api-key-here' },
      { name: 'api_key', value: 'REPLACE_ME' },
      { name: 'client_secret', value: '00000000-0000-0000-0000-000000000000' },
      { name: 'secret_key', value: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
      { name: 'api_token', value: '1234567890abcdef1234567890abcdef' },
      { name: 'session_token', value: 'abcdefghijklmnopqrstuvwxyz012345' },
      { name: 'jwt_secret', value: 'defaultSessionSecretValue' },
      { name: 'password_file', value: '/run/secrets/db_password' },
      { name: 'token_url', value: 'https://auth.fleet.internal/oauth/token' },
      { name: 'request_id', value: uuid(r) },
      { name: 'secret_name', value: 'fleet-gateway-credentials' },
      { name: 'password_policy', value: 'strong' },
      { name: 'token_ttl', value: '3600' },
      { name: 'api_key_header', value: 'X-API-Key' },
      { name: 'password', value: 'ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)' },
      { name: 'auth_token', value: '{{ vault_auth_token }}' },
      { name: 'secret', value: '********' },
      { name: 'public_key', value: `MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE${r.str(B64, 88)}` },
      { name: 'cache_key', value: r.str(HEX, 32) },
      { name: 'firmware_sha256', value: r.str(HEX, 64) },
      { name: 'build_id', value: r.str(HEX, 40) },
    ],
  };
}

/** A real-looking PEM private key: generated on the spot, random, used nowhere. */
export function privateKeyPem(r, kind) {
  const seedBytes = Buffer.from(r.bytes(32));
  switch (kind) {
    case 'rsa-pkcs1':
      return crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    case 'rsa-pkcs8':
      return crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    case 'ec':
      return crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    case 'ed25519':
      return crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    case 'encrypted':
      return crypto
        .generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: seedBytes.toString('hex') })
        .toString();
    case 'openssh':
      return opensshKey(r);
    case 'pgp':
      return pgpKey(r);
    default:
      throw new Error(kind);
  }
}

/** openssh-key-v1 with an unencrypted Ed25519 key of random bytes. */
function opensshKey(r) {
  const u32 = (n) => Buffer.from([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const str = (b) => Buffer.concat([u32(b.length), Buffer.from(b)]);
  const pub = Buffer.from(r.bytes(32));
  const pubBlob = Buffer.concat([str('ssh-ed25519'), str(pub)]);
  const check = Buffer.from(r.bytes(4));
  let priv = Buffer.concat([
    check,
    check,
    str('ssh-ed25519'),
    str(pub),
    str(Buffer.concat([Buffer.from(r.bytes(32)), pub])),
    str('pump@fleet'),
  ]);
  for (let i = 1; priv.length % 8; i++) priv = Buffer.concat([priv, Buffer.from([i])]);
  const blob = Buffer.concat([Buffer.from('openssh-key-v1\0'), str('none'), str('none'), str(''), u32(1), str(pubBlob), str(priv)]);
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${blob
    .toString('base64')
    .match(/.{1,70}/g)
    .join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** An armoured OpenPGP secret-key packet of random material. */
function pgpKey(r) {
  const body = Buffer.concat([Buffer.from([0x95, 0x01, 0xd8, 0x04]), Buffer.from(r.bytes(470))]);
  return `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${body
    .toString('base64')
    .match(/.{1,64}/g)
    .join('\n')}\n=${r.str(B64, 4)}\n-----END PGP PRIVATE KEY BLOCK-----\n`;
}

export function publicKeyPem() {
  return crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

const tlv = (tag, content) => {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.from([tag, ...length, ...content]);
};

/** Binary key containers: a PKCS#12 bundle with a shrouded key bag, a DER PKCS#8 key, a JKS with a private-key entry. */
export function keyContainer(r, kind) {
  if (kind === 'der') return crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' });
  if (kind === 'jks') {
    const alias = Buffer.from('device');
    return Buffer.concat([
      Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, alias.length]),
      alias,
      Buffer.alloc(8),
      Buffer.from([0, 0, 1, 0]),
      Buffer.from(r.bytes(256)),
      Buffer.alloc(4),
    ]);
  }
  const oid = (...b) => tlv(0x06, b);
  const data = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
  const bag = tlv(
    0x30,
    Buffer.concat([oid(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02), tlv(0xa0, tlv(0x04, Buffer.from(r.bytes(180))))]),
  );
  const authSafe = tlv(0x30, tlv(0x30, Buffer.concat([oid(...data), tlv(0xa0, tlv(0x04, tlv(0x30, bag)))])));
  return tlv(
    0x30,
    Buffer.concat([
      tlv(0x02, [3]),
      tlv(0x30, Buffer.concat([oid(...data), tlv(0xa0, tlv(0x04, authSafe))])),
      tlv(0x30, Buffer.from(r.bytes(40))),
    ]),
  );
}
