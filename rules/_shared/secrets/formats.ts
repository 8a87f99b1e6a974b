/**
 * The credential formats providers publish, written for this project from the providers' documentation of
 * their token formats (and cross-checked against the families open-source secret scanners cover).
 *
 * Two kinds:
 * - `PrefixFormat`: a token recognisable on its own by a fixed prefix (`ghp_`, `AKIA`, `xoxb-`, `sk-ant-api03-`).
 *   The prefix is the cheap pre-filter: the scanner finds prefix occurrences in one pass, then runs the
 *   format's pattern sticky at that offset. Every pattern has bounded repetition only (a test runs each
 *   through the `recheck` ReDoS checker).
 * - `SlotFormat`: a value whose shape is common (32 hex digits, a UUID) and that is a credential of this
 *   provider only when the name it is assigned to says so (`TWILIO_AUTH_TOKEN`, `heroku_api_key`).
 */
import type { Confidence } from '../../../server/src/core/types';
import { identifierWords, isIdentifierShaped } from '../identifier-words';
import { NameMemo } from '../name-memo';
import { decodeBase64Text, hasValidCrc32Suffix, hasValidNkeyChecksum, parseJwt } from './checks';

/** What the benchmark scores separately: precision and recall are reported per family. */
export type SecretFamily = 'cloud' | 'source-ci' | 'messaging-saas' | 'ai' | 'jwt' | 'private-key' | 'connection-string' | 'generic';

export const SECRET_FAMILIES: readonly SecretFamily[] = [
  'cloud',
  'source-ci',
  'messaging-saas',
  'ai',
  'jwt',
  'private-key',
  'connection-string',
  'generic',
];

export interface FormatInfo {
  /** Stable kebab-case id: `github-pat`, `aws-access-key-id`. */
  id: string;
  /** What the message calls it: "GitHub personal access token". */
  provider: string;
  family: SecretFamily;
}

/** The verdict of a structure check: `proven` raises the confidence to high, `false` rejects the match. */
export type Verdict = boolean | 'proven';

export interface PrefixFormat extends FormatInfo {
  /** Literal prefixes (case-sensitive) the pattern starts with. */
  prefixes: readonly string[];
  /** Matched sticky at a prefix occurrence; capture group 1, when present, is the secret part to mask. */
  pattern: RegExp;
  /**
   * Part of the token that lies before the prefix (`123456789:AA…` for Telegram): tested on the text just
   * before the prefix, ending there; its match extends the token to the left.
   */
  before?: RegExp;
  confidence: Confidence;
  /** Structure check on the token (and the text around it, for formats that need context). */
  verify?: (token: string, context: string) => Verdict;
}

export interface SlotFormat extends FormatInfo {
  /** Groups of words, any group of which the name must contain (see `nameMatches`). */
  words: readonly (readonly string[])[];
  /** Tested on the whole value. */
  value: RegExp;
  confidence: Confidence;
}

/** Left boundary: no letter, digit or underscore may precede the token. */
const L = '(?<![A-Za-z0-9_])';
/** Right boundaries: for alphabets without and with `-`. */
const R = '(?![A-Za-z0-9_])';
const RD = '(?![A-Za-z0-9_-])';
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

function token(
  id: string,
  provider: string,
  family: SecretFamily,
  prefixes: string[],
  source: string,
  confidence: Confidence,
  extra: Partial<Pick<PrefixFormat, 'verify' | 'before'>> = {},
): PrefixFormat {
  return { id, provider, family, prefixes, pattern: new RegExp(source, 'y'), confidence, ...extra };
}

const githubChecksum = (token: string): Verdict => (hasValidCrc32Suffix(token, 4) ? 'proven' : true);
const npmChecksum = (token: string): Verdict => (hasValidCrc32Suffix(token, 4) ? 'proven' : true);
/** OpenAI keys carry `T3BlbkFJ` (base64 of "OpenAI") in the middle. */
const openAiMarker = (token: string): Verdict => (token.includes('T3BlbkFJ') ? 'proven' : true);
/** A PyPI token is a macaroon whose base64 opens with the PyPI location. */
const pypiMacaroon = (token: string): Verdict =>
  /pypi\.org|test\.pypi/.test(decodeBase64Text(token.slice(5, 61)) ?? '') ? 'proven' : false;
/** A JWT: base64url parts whose header is JSON with an `alg`. Supabase's public `anon` keys are meant to ship in clients. */
const jwtStructure = (token: string): Verdict => {
  const jwt = parseJwt(token);
  if (!jwt) return false;
  if (jwt.payload && jwt.payload.role === 'anon' && jwt.payload.iss === 'supabase') return false;
  // An expired token authenticates no one (and does not reveal the key it was signed with): a sample response.
  if (typeof jwt.payload?.exp === 'number' && jwt.payload.exp * 1000 < Date.now()) return false;
  return 'proven';
};
/** Grafana's legacy API keys are base64 of `{"k":…,"n":…,"id":…}`. */
const grafanaKey = (token: string): Verdict => (/^\{"k":"/.test(decodeBase64Text(token, 12) ?? '') ? 'proven' : false);
/** An Azure SAS signature is only a secret with the rest of the SAS around it (`sv=` version, `se=`/`sp=`). */
const sasContext = (_token: string, context: string): Verdict =>
  /[?&;"'\s]sv=\d{4}-\d{2}-\d{2}/.test(context) && /[?&;]s[eprt]=/.test(context);

export const PREFIX_FORMATS: readonly PrefixFormat[] = [
  // ---- Cloud -------------------------------------------------------------------------------------------
  token(
    'aws-access-key-id',
    'AWS access key id',
    'cloud',
    ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'APKA', 'A3T'],
    `${L}(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}${R}`,
    'high',
  ),
  token(
    'aws-bedrock-api-key',
    'Amazon Bedrock API key',
    'cloud',
    ['ABSK'],
    `${L}ABSK[A-Za-z0-9+/]{109,269}={0,2}(?![A-Za-z0-9+/=])`,
    'high',
  ),
  token(
    'aws-bedrock-short-term-key',
    'Amazon Bedrock short-term API key',
    'cloud',
    ['bedrock-api-key-'],
    `${L}bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%]{20,2000}`,
    'high',
  ),
  token('aws-mws-key', 'Amazon MWS auth token', 'cloud', ['amzn.mws.'], `${L}amzn\\.mws\\.${UUID}${RD}`, 'high'),
  token('gcp-api-key', 'Google API key', 'cloud', ['AIza'], `${L}AIza[0-9A-Za-z_-]{35}${RD}`, 'high'),
  token('gcp-oauth-client-secret', 'Google OAuth client secret', 'cloud', ['GOCSPX-'], `${L}GOCSPX-[A-Za-z0-9_-]{28}${RD}`, 'high'),
  token('gcp-oauth-refresh-token', 'Google OAuth refresh token', 'cloud', ['1//0'], `${L}1//0[A-Za-z0-9_-]{40,400}${RD}`, 'medium'),
  token('gcp-oauth-access-token', 'Google OAuth access token', 'cloud', ['ya29.'], `${L}ya29\\.[A-Za-z0-9_-]{30,2000}${RD}`, 'medium'),
  token(
    'firebase-fcm-server-key',
    'Firebase Cloud Messaging server key',
    'cloud',
    [':APA91b'],
    `:APA91b[A-Za-z0-9_-]{130,160}${RD}`,
    'high',
    { before: /(?<![A-Za-z0-9_-])AAAA[A-Za-z0-9_-]{7}$/ },
  ),
  token('azure-storage-account-key', 'Azure storage account key', 'cloud', ['AccountKey='], `AccountKey=([A-Za-z0-9+/]{86}==)`, 'high'),
  token(
    'azure-shared-access-key',
    'Azure shared access key (Service Bus, Event Hubs, IoT Hub)',
    'cloud',
    ['SharedAccessKey=', 'SharedAccessSignature='],
    `Shared(?:AccessKey=([A-Za-z0-9+/]{42,44}={0,2})|AccessSignature=(SharedAccessSignature sr=[^;"'\\s]{10,600}))`,
    'high',
  ),
  token(
    'azure-sas-token',
    'Azure shared access signature (SAS) token',
    'cloud',
    ['sig='],
    `sig=((?:[A-Za-z0-9+/]|%2[BbFf]){40,90}(?:=|%3[Dd]){0,2})(?![A-Za-z0-9+/%])`,
    'high',
    { verify: sasContext },
  ),
  token(
    'azure-ad-client-secret',
    'Azure AD (Entra ID) client secret',
    'cloud',
    ['Q~'],
    `Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`,
    'high',
    { before: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\d$/ },
  ),
  token(
    'azure-function-key',
    'Azure Functions host key',
    'cloud',
    ['AzureFunctionsKey='],
    `AzureFunctionsKey=([A-Za-z0-9_/+-]{40,60}={0,2})`,
    'medium',
  ),
  token('alibaba-access-key-id', 'Alibaba Cloud access key id', 'cloud', ['LTAI'], `${L}LTAI[A-Za-z0-9]{12,20}${R}`, 'high'),
  token('tencent-secret-id', 'Tencent Cloud secret id', 'cloud', ['AKID'], `${L}AKID[A-Za-z0-9]{32}${R}`, 'medium'),
  token(
    'digitalocean-token',
    'DigitalOcean access token',
    'cloud',
    ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    `${L}do[opr]_v1_[a-f0-9]{64}${R}`,
    'high',
  ),
  token('heroku-api-key', 'Heroku API key', 'cloud', ['HRKU-'], `${L}HRKU-(?:AA[A-Za-z0-9_-]{58}|${UUID})${RD}`, 'high'),
  token('cloudflare-origin-ca-key', 'Cloudflare Origin CA key', 'cloud', ['v1.0-'], `${L}v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}${R}`, 'high'),
  token('scaleway-access-key', 'Scaleway access key', 'cloud', ['SCW'], `${L}SCW[A-Z0-9]{17}${R}`, 'medium'),
  token('databricks-token', 'Databricks access token', 'cloud', ['dapi'], `${L}dapi[a-f0-9]{32}(?:-\\d)?${R}`, 'high'),
  token('vault-token', 'HashiCorp Vault token', 'cloud', ['hvs.', 'hvb.', 'hvr.'], `${L}hv[sbr]\\.[A-Za-z0-9_-]{24,400}${RD}`, 'high'),
  token(
    'terraform-cloud-token',
    'Terraform Cloud / HCP API token',
    'cloud',
    ['.atlasv1.'],
    `\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}${RD}`,
    'high',
    { before: /(?<![A-Za-z0-9_])[A-Za-z0-9]{14}$/ },
  ),
  token('pulumi-token', 'Pulumi access token', 'cloud', ['pul-'], `${L}pul-[a-f0-9]{40}${R}`, 'high'),
  token(
    'doppler-token',
    'Doppler token',
    'cloud',
    ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
    `${L}dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9_]{40,44}${R}`,
    'high',
  ),
  token(
    'onepassword-service-account-token',
    '1Password service account token',
    'cloud',
    ['ops_eyJ'],
    `${L}ops_eyJ[A-Za-z0-9+/]{250,}={0,3}`,
    'high',
  ),
  token(
    'onepassword-secret-key',
    '1Password secret key',
    'cloud',
    ['A3-'],
    `${L}A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}${RD}`,
    'high',
  ),
  token(
    'planetscale-token',
    'PlanetScale token or password',
    'cloud',
    ['pscale_tkn_', 'pscale_pw_', 'pscale_oauth_'],
    `${L}pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_=.-]{32,64}${RD}`,
    'high',
  ),
  token(
    'supabase-token',
    'Supabase access token or secret key',
    'cloud',
    ['sbp_', 'sb_secret_'],
    `${L}(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,60})${RD}`,
    'high',
  ),
  token(
    'flyio-token',
    'Fly.io access token',
    'cloud',
    ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'],
    `${L}(?:fo1_[A-Za-z0-9_-]{43}|fm1[ar]_[A-Za-z0-9+/]{100,2000}={0,3}|fm2_[A-Za-z0-9+/]{100,4000}={0,3})${RD}`,
    'high',
  ),
  token('render-api-key', 'Render API key', 'cloud', ['rnd_'], `${L}rnd_[A-Za-z0-9]{32}${R}`, 'medium'),
  token(
    'tailscale-key',
    'Tailscale key',
    'cloud',
    ['tskey-'],
    `${L}tskey-(?:api|auth|client|scim|webhook)-[A-Za-z0-9]{10,20}-[A-Za-z0-9]{20,40}${R}`,
    'high',
  ),
  token('openshift-token', 'OpenShift user token', 'cloud', ['sha256~'], `${L}sha256~[A-Za-z0-9_-]{43}${RD}`, 'high'),
  token(
    'yandex-key',
    'Yandex Cloud key',
    'cloud',
    ['YC', 'AQVN', 't1.'],
    `${L}(?:YC[A-Za-z0-9_-]{38}|AQVN[A-Za-z0-9_-]{35,38}|t1\\.[A-Za-z0-9_-]{20,200}={0,2}\\.[A-Za-z0-9_-]{86}={0,2})${RD}`,
    'medium',
  ),
  token('clickhouse-cloud-key', 'ClickHouse Cloud API secret key', 'cloud', ['4b1d'], `${L}4b1d[A-Za-z0-9]{38}${R}`, 'medium'),
  token('ibm-cloud-iam-key', 'IBM Cloud IAM API key', 'cloud', ['ApiKey-'], `${L}ApiKey-${UUID}${RD}`, 'medium'),

  // ---- Source hosting, CI, package registries ------------------------------------------------------------
  token('github-pat', 'GitHub personal access token', 'source-ci', ['ghp_'], `${L}ghp_[A-Za-z0-9]{36}${R}`, 'high', {
    verify: githubChecksum,
  }),
  token('github-oauth-token', 'GitHub OAuth access token', 'source-ci', ['gho_'], `${L}gho_[A-Za-z0-9]{36}${R}`, 'high', {
    verify: githubChecksum,
  }),
  token('github-app-token', 'GitHub App token', 'source-ci', ['ghu_', 'ghs_'], `${L}gh[us]_[A-Za-z0-9]{36}${R}`, 'high', {
    verify: githubChecksum,
  }),
  token('github-refresh-token', 'GitHub refresh token', 'source-ci', ['ghr_'], `${L}ghr_[A-Za-z0-9]{36,76}${R}`, 'high', {
    verify: githubChecksum,
  }),
  token(
    'github-fine-grained-pat',
    'GitHub fine-grained personal access token',
    'source-ci',
    ['github_pat_'],
    `${L}github_pat_[A-Za-z0-9_]{70,100}${R}`,
    'high',
  ),
  token(
    'gitlab-token',
    'GitLab access token',
    'source-ci',
    ['glpat-', 'gldt-', 'glrt-', 'glsoat-', 'glffct-', 'glft-', 'glimt-', 'glagent-', 'gloas-', 'glcbt-', 'glwt-', 'gltst-', 'glrtr-'],
    `${L}(?:glpat|gldt|glrt|glsoat|glffct|glft|glimt|glagent|gloas|glcbt|glwt|gltst|glrtr)-[A-Za-z0-9_.-]{20,300}${RD}`,
    'high',
  ),
  token('gitlab-pipeline-trigger-token', 'GitLab pipeline trigger token', 'source-ci', ['glptt-'], `${L}glptt-[a-f0-9]{40}${R}`, 'high'),
  token(
    'gitlab-runner-registration-token',
    'GitLab runner registration token',
    'source-ci',
    ['GR1348941'],
    `${L}GR1348941[A-Za-z0-9_-]{20}${RD}`,
    'high',
  ),
  token('bitbucket-app-password', 'Bitbucket app password', 'source-ci', ['ATBB'], `${L}ATBB[A-Za-z0-9_=.-]{28,40}${RD}`, 'high'),
  token(
    'atlassian-api-token',
    'Atlassian API token',
    'source-ci',
    ['ATATT3', 'ATCTT3', 'ATSTT3'],
    `${L}AT[ACS]TT3[A-Za-z0-9_=-]{150,220}${RD}`,
    'high',
  ),
  token('npm-token', 'npm access token', 'source-ci', ['npm_'], `${L}npm_[A-Za-z0-9]{36}${R}`, 'high', { verify: npmChecksum }),
  token('pypi-token', 'PyPI upload token', 'source-ci', ['pypi-AgE'], `${L}pypi-AgE[A-Za-z0-9_-]{50,1000}${RD}`, 'high', {
    verify: pypiMacaroon,
  }),
  token(
    'docker-hub-token',
    'Docker Hub access token',
    'source-ci',
    ['dckr_pat_', 'dckr_oat_'],
    `${L}dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40}${RD}`,
    'high',
  ),
  token('rubygems-token', 'RubyGems API key', 'source-ci', ['rubygems_'], `${L}rubygems_[a-f0-9]{48}${R}`, 'high'),
  token('nuget-api-key', 'NuGet API key', 'source-ci', ['oy2'], `${L}oy2[a-z0-9]{43}${R}`, 'medium'),
  token(
    'artifactory-token',
    'JFrog Artifactory API key or reference token',
    'source-ci',
    ['AKCp', 'cmVmd'],
    `${L}(?:AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59})${R}`,
    'high',
  ),
  token('buildkite-token', 'Buildkite API token', 'source-ci', ['bkua_'], `${L}bkua_[a-f0-9]{40}${R}`, 'high'),
  token('sonarqube-token', 'SonarQube token', 'source-ci', ['squ_', 'sqp_', 'sqa_'], `${L}sq[upa]_[a-f0-9]{40}${R}`, 'high'),
  token(
    'sourcegraph-token',
    'Sourcegraph access token',
    'source-ci',
    ['sgp_'],
    `${L}sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40}${R}`,
    'high',
  ),
  token('clojars-token', 'Clojars deploy token', 'source-ci', ['CLOJARS_'], `${L}CLOJARS_[a-z0-9]{60}${R}`, 'high'),
  token('octopus-deploy-key', 'Octopus Deploy API key', 'source-ci', ['API-'], `${L}API-[A-Z0-9]{26}${R}`, 'medium'),
  token(
    'harness-token',
    'Harness access token',
    'source-ci',
    ['pat.', 'sat.'],
    `${L}(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{20}${R}`,
    'high',
  ),
  token(
    'circleci-token',
    'CircleCI personal API token',
    'source-ci',
    ['CCIPAT_', 'CCIPRJ_'],
    `${L}CCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[a-f0-9]{40}${R}`,
    'high',
  ),
  token('gitea-token', 'Gitea / Forgejo access token', 'source-ci', ['gta_'], `${L}gta_[a-f0-9]{40}${R}`, 'medium'),
  token(
    'jetbrains-space-token',
    'Codeberg / JetBrains token',
    'source-ci',
    ['perm:'],
    `${L}perm:[A-Za-z0-9+/=]{8,}\\.[A-Za-z0-9+/=]{8,}\\.[A-Za-z0-9]{30}${R}`,
    'medium',
  ),

  // ---- Messaging, SaaS, payments, monitoring ----------------------------------------------------------------
  // NATS NKey seeds (user, account, operator, server, cluster, curve): the private half of an Ed25519 key pair.
  token(
    'nats-nkey-seed',
    'NATS NKey seed',
    'messaging-saas',
    ['SU', 'SA', 'SO', 'SN', 'SC', 'SX'],
    `${L}S[UAONCX][A-Z2-7]{56}${R}`,
    'high',
    {
      verify: (seed) => (hasValidNkeyChecksum(seed) ? 'proven' : false),
    },
  ),
  token(
    'slack-bot-token',
    'Slack bot token',
    'messaging-saas',
    ['xoxb-'],
    `${L}xoxb-\\d{8,14}-(?:\\d{8,14}-)?[A-Za-z0-9]{18,34}${RD}`,
    'high',
  ),
  token(
    'slack-user-token',
    'Slack user token',
    'messaging-saas',
    ['xoxp-', 'xoxe-', 'xoxs-', 'xoxo-'],
    `${L}xox[pseo]-\\d{1,14}(?:-\\d{1,14}){1,3}-[A-Za-z0-9]{20,64}${RD}`,
    'high',
  ),
  token(
    'slack-legacy-token',
    'Slack legacy workspace token',
    'messaging-saas',
    ['xoxa-', 'xoxr-'],
    `${L}xox[ar]-(?:\\d-)?[A-Za-z0-9]{8,48}(?:-[A-Za-z0-9]{4,48}){0,4}${RD}`,
    'high',
  ),
  token(
    'slack-config-token',
    'Slack configuration token',
    'messaging-saas',
    ['xoxe.xox', 'xoxe-1-'],
    `${L}xoxe(?:\\.xox[bp]-\\d-[A-Za-z0-9]{100,200}|-\\d-[A-Za-z0-9]{100,200})${RD}`,
    'high',
  ),
  token(
    'slack-app-token',
    'Slack app-level token',
    'messaging-saas',
    ['xapp-'],
    `${L}xapp-\\d-[A-Z0-9]{8,14}-\\d{8,16}-[a-z0-9]{32,80}${RD}`,
    'high',
  ),
  token(
    'slack-webhook',
    'Slack incoming webhook URL',
    'messaging-saas',
    ['hooks.slack.com/'],
    `hooks\\.slack\\.com/((?:services|workflows|triggers)/[A-Za-z0-9_/+-]{30,120})`,
    'high',
  ),
  token(
    'discord-webhook',
    'Discord webhook URL',
    'messaging-saas',
    ['discord.com/api/webhooks/', 'discordapp.com/api/webhooks/'],
    `discord(?:app)?\\.com/api/webhooks/(\\d{16,20}/[A-Za-z0-9_-]{60,70})${RD}`,
    'high',
  ),
  token('telegram-bot-token', 'Telegram bot token', 'messaging-saas', [':AA'], `:AA[A-Za-z0-9_-]{33}${RD}`, 'high', {
    before: /(?<![A-Za-z0-9_])\d{8,10}$/,
  }),
  token(
    'teams-webhook',
    'Microsoft Teams incoming webhook URL',
    'messaging-saas',
    ['.webhook.office.com/', 'logic.azure.com'],
    `(?:\\.webhook\\.office\\.com/webhookb2/([A-Za-z0-9@/-]{60,300})|logic\\.azure\\.com(?::443)?/workflows/[a-f0-9]{32}/triggers/manual/paths/invoke\\?[A-Za-z0-9=&%._-]{0,200}sig=([A-Za-z0-9_-]{43}))`,
    'high',
  ),
  token('twilio-api-key', 'Twilio API key', 'messaging-saas', ['SK'], `${L}SK[0-9a-f]{32}${R}`, 'medium'),
  token('sendgrid-api-key', 'SendGrid API key', 'messaging-saas', ['SG.'], `${L}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${RD}`, 'high'),
  token('mailgun-api-key', 'Mailgun API key', 'messaging-saas', ['key-'], `${L}key-[a-f0-9]{32}${R}`, 'medium'),
  token('mailchimp-api-key', 'Mailchimp API key', 'messaging-saas', ['-us'], `-us\\d{1,2}${R}`, 'high', {
    before: /(?<![A-Za-z0-9_])[a-f0-9]{32}$/,
  }),
  token(
    'brevo-api-key',
    'Brevo (Sendinblue) API key',
    'messaging-saas',
    ['xkeysib-', 'xsmtpsib-'],
    `${L}x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}${R}`,
    'high',
  ),
  token('mailersend-token', 'MailerSend API token', 'messaging-saas', ['mlsn.'], `${L}mlsn\\.[a-f0-9]{64}${R}`, 'high'),
  token(
    'stripe-secret-key',
    'Stripe secret key',
    'messaging-saas',
    ['sk_live_', 'rk_live_', 'sk_prod_', 'rk_prod_'],
    `${L}[sr]k_(?:live|prod)_[A-Za-z0-9]{20,247}${R}`,
    'high',
  ),
  token(
    'stripe-test-key',
    'Stripe test-mode secret key',
    'messaging-saas',
    ['sk_test_', 'rk_test_'],
    `${L}[sr]k_test_[A-Za-z0-9]{20,247}${R}`,
    'medium',
  ),
  token(
    'stripe-webhook-secret',
    'Stripe webhook signing secret',
    'messaging-saas',
    ['whsec_'],
    `${L}whsec_[A-Za-z0-9+/]{32,64}={0,2}(?![A-Za-z0-9+/=])`,
    'high',
  ),
  token(
    'square-token',
    'Square access token or secret',
    'messaging-saas',
    ['sq0atp-', 'sq0csp-', 'EAAA'],
    `${L}(?:sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43}|EAAA[A-Za-z0-9_+=-]{60})${RD}`,
    'high',
  ),
  // In a shell's double quotes each `$` is escaped: `"access_token\$production\$…"`.
  token(
    'braintree-token',
    'Braintree / PayPal access token',
    'messaging-saas',
    ['access_token$production$', 'access_token$sandbox$', 'access_token\\$production\\$', 'access_token\\$sandbox\\$'],
    `access_token\\\\?\\$(?:production|sandbox)\\\\?\\$[a-z0-9]{16}\\\\?\\$[a-f0-9]{32}${R}`,
    'high',
  ),
  token(
    'shopify-token',
    'Shopify access token or shared secret',
    'messaging-saas',
    ['shpat_', 'shpss_', 'shpca_', 'shppa_'],
    `${L}shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}${R}`,
    'high',
  ),
  token(
    'flutterwave-key',
    'Flutterwave secret key',
    'messaging-saas',
    ['FLWSECK'],
    `${L}FLWSECK(?:_TEST)?-[a-h0-9]{12,32}(?:-X)?${RD}`,
    'high',
  ),
  token('razorpay-key', 'Razorpay key id', 'messaging-saas', ['rzp_live_'], `${L}rzp_live_[A-Za-z0-9]{14}${R}`, 'medium'),
  token(
    'plaid-access-token',
    'Plaid access token',
    'messaging-saas',
    ['access-production-', 'access-development-', 'access-sandbox-'],
    `${L}access-(?:production|development|sandbox)-${UUID}${RD}`,
    'high',
  ),
  token('easypost-key', 'EasyPost API key', 'messaging-saas', ['EZAK', 'EZTK'], `${L}EZ[AT]K[A-Za-z0-9]{54}${R}`, 'high'),
  token(
    'shippo-token',
    'Shippo API token',
    'messaging-saas',
    ['shippo_live_', 'shippo_test_'],
    `${L}shippo_(?:live|test)_[a-fA-F0-9]{40}${R}`,
    'high',
  ),
  token(
    'duffel-token',
    'Duffel API token',
    'messaging-saas',
    ['duffel_live_', 'duffel_test_'],
    `${L}duffel_(?:live|test)_[A-Za-z0-9_=-]{43}${RD}`,
    'high',
  ),
  token(
    'facebook-access-token',
    'Facebook access token',
    'messaging-saas',
    ['EAAC', 'EAAM', 'EAAG', 'EAAB', 'EAAJ'],
    `${L}EAA[BCGJM][A-Za-z0-9]{100,300}${R}`,
    'medium',
  ),
  token(
    'twitter-bearer-token',
    'Twitter / X bearer token',
    'messaging-saas',
    ['AAAAAAAAAAAAAAAAAAAAA'],
    `${L}A{21,22}[A-Za-z0-9%]{30,120}${R}`,
    'medium',
  ),
  token('contentful-token', 'Contentful personal access token', 'messaging-saas', ['CFPAT-'], `${L}CFPAT-[A-Za-z0-9_-]{43}${RD}`, 'high'),
  token(
    'mapbox-secret-token',
    'Mapbox secret token',
    'messaging-saas',
    ['sk.eyJ'],
    `${L}sk\\.eyJ[A-Za-z0-9_-]{20,200}\\.[A-Za-z0-9_-]{20,40}${RD}`,
    'high',
  ),
  token('typeform-token', 'Typeform personal access token', 'messaging-saas', ['tfp_'], `${L}tfp_[A-Za-z0-9_.=-]{55,64}${RD}`, 'high'),
  token('airtable-token', 'Airtable personal access token', 'messaging-saas', ['pat'], `${L}pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}${R}`, 'high'),
  token(
    'notion-token',
    'Notion integration token',
    'messaging-saas',
    ['ntn_', 'secret_'],
    `${L}(?:ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})${R}`,
    'high',
  ),
  token('figma-token', 'Figma personal access token', 'messaging-saas', ['figd_'], `${L}figd_[A-Za-z0-9_-]{40}${RD}`, 'high'),
  token(
    'hubspot-token',
    'HubSpot private app token',
    'messaging-saas',
    ['pat-na1-', 'pat-eu1-', 'pat-na2-'],
    `${L}pat-(?:na|eu)\\d-${UUID}${RD}`,
    'high',
  ),
  token(
    'linear-api-key',
    'Linear API key',
    'messaging-saas',
    ['lin_api_', 'lin_oauth_'],
    `${L}lin_(?:api|oauth)_[A-Za-z0-9]{40}${R}`,
    'high',
  ),
  token('postman-api-key', 'Postman API key', 'messaging-saas', ['PMAK-'], `${L}PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}${RD}`, 'high'),
  token(
    'grafana-token',
    'Grafana token',
    'messaging-saas',
    ['glc_', 'glsa_'],
    `${L}(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})(?![A-Za-z0-9_+/=])`,
    'high',
  ),
  token(
    'grafana-api-key',
    'Grafana API key',
    'messaging-saas',
    ['eyJrIjoi'],
    `${L}eyJrIjoi[A-Za-z0-9]{70,400}={0,2}(?![A-Za-z0-9=])`,
    'high',
    { verify: grafanaKey },
  ),
  token(
    'new-relic-key',
    'New Relic API key',
    'messaging-saas',
    ['NRAK-', 'NRJS-', 'NRII-', 'NRAA-'],
    `${L}(?:NRAK-[A-Z0-9]{27}|NRJS-[a-f0-9]{19}|NRII-[A-Za-z0-9_-]{32}|NRAA-[a-f0-9]{27})${RD}`,
    'high',
  ),
  token(
    'sentry-token',
    'Sentry auth token',
    'messaging-saas',
    ['sntrys_', 'sntryu_'],
    `${L}(?:sntryu_[a-f0-9]{64}|sntrys_eyJ[A-Za-z0-9+/=_]{60,400})(?![A-Za-z0-9+/=_])`,
    'high',
  ),
  token(
    'dynatrace-token',
    'Dynatrace API token',
    'messaging-saas',
    ['dt0c01.', 'dt0s01.'],
    `${L}dt0[cs]01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}${R}`,
    'high',
  ),
  token('readme-token', 'ReadMe API key', 'messaging-saas', ['rdme_'], `${L}rdme_[a-z0-9]{70}${R}`, 'high'),
  token('prefect-token', 'Prefect API key', 'messaging-saas', ['pnu_'], `${L}pnu_[A-Za-z0-9]{36}${R}`, 'high'),
  token('maxmind-license-key', 'MaxMind license key', 'messaging-saas', ['_mmk'], `_mmk${R}`, 'high', {
    before: /(?<![A-Za-z0-9_])[A-Za-z0-9]{6}_[A-Za-z0-9]{29}$/,
  }),
  token('frameio-token', 'Frame.io API token', 'messaging-saas', ['fio-u-'], `${L}fio-u-[A-Za-z0-9_=-]{64}${RD}`, 'high'),
  token('infracost-token', 'Infracost API token', 'messaging-saas', ['ico-'], `${L}ico-[A-Za-z0-9]{32}${R}`, 'high'),
  token('scalingo-token', 'Scalingo API token', 'messaging-saas', ['tk-us-'], `${L}tk-us-[A-Za-z0-9_-]{48}${RD}`, 'high'),
  token(
    'settlemint-token',
    'SettleMint access token',
    'messaging-saas',
    ['sm_aat_', 'sm_pat_', 'sm_sat_'],
    `${L}sm_[aps]at_[A-Za-z0-9]{16}${R}`,
    'high',
  ),
  token('adobe-client-secret', 'Adobe client secret', 'messaging-saas', ['p8e-'], `${L}p8e-[A-Za-z0-9]{32}${R}`, 'high'),
  token('intra42-secret', '42 intra client secret', 'messaging-saas', ['s-s4t2'], `${L}s-s4t2(?:ud|af)-[a-f0-9]{64}${R}`, 'high'),
  token(
    'zapier-webhook',
    'Zapier webhook URL',
    'messaging-saas',
    ['hooks.zapier.com/hooks/catch/'],
    `hooks\\.zapier\\.com/hooks/catch/(\\d{5,10}/[a-z0-9]{6,10})`,
    'medium',
  ),
  token(
    'age-secret-key',
    'age secret key',
    'private-key',
    ['AGE-SECRET-KEY-1'],
    `AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}${R}`,
    'high',
  ),

  // ---- AI APIs --------------------------------------------------------------------------------------------
  token(
    'openai-project-key',
    'OpenAI API key',
    'ai',
    ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-None-'],
    `${L}sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,250}${RD}`,
    'medium',
    { verify: openAiMarker },
  ),
  token('openai-legacy-key', 'OpenAI API key', 'ai', ['sk-'], `${L}sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}${R}`, 'high'),
  token('openai-style-key', 'OpenAI-style API key', 'ai', ['sk-'], `${L}sk-[A-Za-z0-9]{48}${R}`, 'medium'),
  token(
    'anthropic-api-key',
    'Anthropic API key',
    'ai',
    ['sk-ant-'],
    `${L}sk-ant-(?:api|admin|oat|sid)\\d\\d-[A-Za-z0-9_-]{80,120}${RD}`,
    'high',
  ),
  token('openrouter-key', 'OpenRouter API key', 'ai', ['sk-or-v1-'], `${L}sk-or-v1-[a-f0-9]{64}${R}`, 'high'),
  token('huggingface-token', 'Hugging Face access token', 'ai', ['hf_', 'api_org_'], `${L}(?:hf_|api_org_)[A-Za-z0-9]{34,40}${R}`, 'high'),
  token('replicate-token', 'Replicate API token', 'ai', ['r8_'], `${L}r8_[A-Za-z0-9]{37}${R}`, 'high'),
  token('groq-key', 'Groq API key', 'ai', ['gsk_'], `${L}gsk_[A-Za-z0-9]{52}${R}`, 'high'),
  token('perplexity-key', 'Perplexity API key', 'ai', ['pplx-'], `${L}pplx-[A-Za-z0-9]{48}${R}`, 'high'),
  token('xai-key', 'xAI API key', 'ai', ['xai-'], `${L}xai-[A-Za-z0-9]{80}${R}`, 'high'),
  token('langsmith-key', 'LangSmith API key', 'ai', ['lsv2_pt_', 'lsv2_sk_'], `${L}lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}${R}`, 'high'),
  token('pinecone-key', 'Pinecone API key', 'ai', ['pcsk_'], `${L}pcsk_[A-Za-z0-9]{5,6}_[A-Za-z0-9]{60,70}${R}`, 'high'),
  token('nvidia-key', 'NVIDIA API key', 'ai', ['nvapi-'], `${L}nvapi-[A-Za-z0-9_-]{64}${RD}`, 'high'),
  token('fireworks-key', 'Fireworks AI API key', 'ai', ['fw_'], `${L}fw_[A-Za-z0-9]{24}${R}`, 'medium'),
  token('elevenlabs-key', 'ElevenLabs API key', 'ai', ['sk_'], `${L}sk_[a-f0-9]{48}${R}`, 'medium'),
  token('deepseek-key', 'DeepSeek-style API key', 'ai', ['sk-'], `${L}sk-[a-f0-9]{32}${R}`, 'medium'),
  token(
    'google-ai-studio-token',
    'Google Vertex / AI Studio express key',
    'ai',
    ['AQ.Ab8RN6'],
    `${L}AQ\\.Ab8RN6[A-Za-z0-9_-]{40,80}${RD}`,
    'high',
  ),

  // ---- JWT --------------------------------------------------------------------------------------------------
  token(
    'jwt',
    'JSON Web Token',
    'jwt',
    ['eyJ'],
    `${L}eyJ[A-Za-z0-9_-]{10,2000}\\.(?:eyJ[A-Za-z0-9_-]{6,8000}\\.[A-Za-z0-9_-]{0,2000}|[A-Za-z0-9_-]{0,2000}\\.[A-Za-z0-9_-]{16,8000}\\.[A-Za-z0-9_-]{16,8000}\\.[A-Za-z0-9_-]{16,200})${RD}`,
    'medium',
    { verify: jwtStructure },
  ),
];

/** Values that are a provider's credential when the name they are assigned to names the provider. */
export const SLOT_FORMATS: readonly SlotFormat[] = [
  slot(
    'aws-secret-access-key',
    'AWS secret access key',
    'cloud',
    [
      ['aws', 'secret'],
      ['secret', 'access', 'key'],
      ['aws', 'sk'],
    ],
    /^[A-Za-z0-9/+]{40}$/,
    'high',
  ),
  slot(
    'aws-session-token',
    'AWS session token',
    'cloud',
    [
      ['aws', 'session', 'token'],
      ['security', 'token'],
    ],
    /^(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|AQoDYXdz)[A-Za-z0-9/+=]{100,2000}$/,
    'high',
  ),
  slot(
    'azure-storage-account-key',
    'Azure storage account key',
    'cloud',
    [['storage', 'key'], ['account', 'key'], ['accountkey'], ['azure', 'key'], ['blob', 'key']],
    /^[A-Za-z0-9+/]{86}==$/,
    'high',
  ),
  slot(
    'azure-devops-pat',
    'Azure DevOps personal access token',
    'source-ci',
    [['azure'], ['devops'], ['ado'], ['vsts'], ['tfs']],
    /^(?:[a-z2-7]{52}|[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4})$/,
    'high',
  ),
  slot(
    'azure-openai-key',
    'Azure OpenAI key',
    'ai',
    [
      ['azure', 'openai'],
      ['azure', 'cognitive'],
      ['azure', 'ai'],
    ],
    /^[a-f0-9]{32}$|^[A-Za-z0-9]{84}$/,
    'high',
  ),
  slot('heroku-api-key', 'Heroku API key', 'cloud', [['heroku']], new RegExp(`^${UUID}$`), 'high'),
  slot(
    'cloudflare-api-token',
    'Cloudflare API token or key',
    'cloud',
    [['cloudflare'], ['cf', 'token'], ['cf', 'key']],
    /^[A-Za-z0-9_-]{40}$|^[a-f0-9]{37}$/,
    'high',
  ),
  slot('github-legacy-token', 'GitHub OAuth token (legacy format)', 'source-ci', [['github'], ['gh', 'token']], /^[a-f0-9]{40}$/, 'high'),
  slot('bitbucket-secret', 'Bitbucket client secret', 'source-ci', [['bitbucket']], /^[A-Za-z0-9_=-]{32,64}$/, 'medium'),
  slot(
    'npm-legacy-token',
    'npm access token (legacy format)',
    'source-ci',
    [['authtoken'], ['npm', 'token']],
    new RegExp(`^${UUID}$`),
    'high',
  ),
  slot('travis-token', 'Travis CI token', 'source-ci', [['travis']], /^[A-Za-z0-9_-]{22}$/, 'medium'),
  slot('codecov-token', 'Codecov upload token', 'source-ci', [['codecov']], new RegExp(`^${UUID}$|^[a-z0-9]{32}$`), 'medium'),
  slot('snyk-token', 'Snyk API token', 'source-ci', [['snyk']], new RegExp(`^${UUID}$`), 'high'),
  slot('twilio-auth-token', 'Twilio auth token', 'messaging-saas', [['twilio']], /^[a-f0-9]{32}$/, 'high'),
  slot(
    'mailgun-key',
    'Mailgun API or signing key',
    'messaging-saas',
    [['mailgun']],
    /^(?:key-)?[a-f0-9]{32}(?:-[a-f0-9]{8}-[a-f0-9]{8})?$/,
    'high',
  ),
  slot('postmark-token', 'Postmark server token', 'messaging-saas', [['postmark']], new RegExp(`^${UUID}$`), 'high'),
  slot(
    'datadog-key',
    'Datadog API or application key',
    'messaging-saas',
    [['datadog'], ['dd', 'api'], ['dd', 'app']],
    /^[a-f0-9]{32}$|^[a-f0-9]{40}$/,
    'high',
  ),
  slot(
    'launchdarkly-key',
    'LaunchDarkly key',
    'messaging-saas',
    [['launchdarkly'], ['ld', 'key']],
    new RegExp(`^(?:api|sdk|mob)-${UUID}$`),
    'high',
  ),
  slot('hubspot-api-key', 'HubSpot API key', 'messaging-saas', [['hubspot']], new RegExp(`^${UUID}$`), 'high'),
  slot('okta-token', 'Okta API token', 'messaging-saas', [['okta']], /^00[A-Za-z0-9_=-]{40}$/, 'high'),
  slot(
    'discord-bot-token',
    'Discord bot token',
    'messaging-saas',
    [['discord']],
    /^[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}$|^[a-f0-9]{64}$/,
    'high',
  ),
  slot(
    'algolia-admin-key',
    'Algolia admin API key',
    'messaging-saas',
    [
      ['algolia', 'admin'],
      ['algolia', 'write'],
      ['algolia', 'secret'],
      ['algolia', 'api'],
    ],
    /^[a-f0-9]{32}$/,
    'high',
  ),
  slot(
    'sentry-token',
    'Sentry auth token',
    'messaging-saas',
    [
      ['sentry', 'token'],
      ['sentry', 'secret'],
    ],
    /^[a-f0-9]{64}$/,
    'high',
  ),
  slot('pagerduty-key', 'PagerDuty API key', 'messaging-saas', [['pagerduty']], /^[A-Za-z0-9_+-]{20}$|^[a-f0-9]{32}$/, 'medium'),
  slot('splunk-hec-token', 'Splunk HEC token', 'messaging-saas', [['splunk'], ['hec', 'token']], new RegExp(`^${UUID}$`), 'high'),
  slot('pusher-secret', 'Pusher secret', 'messaging-saas', [['pusher']], /^[a-f0-9]{20}$/, 'medium'),
  slot('blynk-auth-token', 'Blynk auth token', 'messaging-saas', [['blynk']], /^[A-Za-z0-9_-]{32}$/, 'high'),
  slot('particle-token', 'Particle access token', 'messaging-saas', [['particle']], /^[a-f0-9]{40}$/, 'high'),
  slot(
    'thingspeak-key',
    'ThingSpeak API key',
    'messaging-saas',
    [['thingspeak'], ['channel', 'write', 'key'], ['channel', 'read', 'key']],
    /^[A-Z0-9]{16}$/,
    'high',
  ),
  slot('vonage-secret', 'Vonage (Nexmo) API secret', 'messaging-saas', [['vonage'], ['nexmo']], /^[A-Za-z0-9]{16}$/, 'medium'),
  slot('cohere-key', 'Cohere API key', 'ai', [['cohere'], ['co', 'api', 'key']], /^[A-Za-z0-9]{40}$/, 'high'),
  slot('mistral-key', 'Mistral API key', 'ai', [['mistral']], /^[A-Za-z0-9]{32}$/, 'high'),
  slot('together-key', 'Together AI API key', 'ai', [['together']], /^(?:tgp_v1_)?[A-Za-z0-9_-]{40,64}$/, 'medium'),
  slot('assemblyai-key', 'AssemblyAI API key', 'ai', [['assemblyai'], ['assembly', 'key']], /^[a-f0-9]{32}$/, 'high'),
  slot('deepgram-key', 'Deepgram API key', 'ai', [['deepgram']], /^[a-f0-9]{40}$/, 'high'),
  slot('wandb-key', 'Weights & Biases API key', 'ai', [['wandb']], /^[a-f0-9]{40}$/, 'high'),
  slot('openai-key-in-slot', 'OpenAI API key', 'ai', [['openai']], /^sk-[A-Za-z0-9_-]{32,200}$/, 'high'),
];

function slot(id: string, provider: string, family: SecretFamily, words: string[][], value: RegExp, confidence: Confidence): SlotFormat {
  return { id, provider, family, words, value, confidence };
}

/**
 * Whether a name names the provider: every word of one group is a word of the name (`DD_API_KEY` → dd, api,
 * key), or part of a glued word: anywhere for words of five letters or more (`twilioauthtoken`), at the end
 * for the short last word of a group (`channelwritekey`), where a glued name keeps its noun.
 */
export function nameMatches(format: SlotFormat, name: string): boolean {
  if (!isIdentifierShaped(name)) return false;
  const words = identifierWords(name);
  return wordsMatch(format, words, words.join(''));
}

/** nameMatches on a name already split into `words` (and those words joined). */
function wordsMatch(format: SlotFormat, words: readonly string[], joined: string): boolean {
  return format.words.some((group) =>
    group.every(
      (word, i) =>
        words.includes(word) ||
        (word.length >= 5 && joined.includes(word)) ||
        (group.length > 1 && i === group.length - 1 && joined.endsWith(word)),
    ),
  );
}

const SLOT_FORMATS_BY_NAME = new NameMemo<readonly SlotFormat[]>(8_000);

/** The provider formats a name names (memoised: names repeat across a project, and most name none). */
export function slotFormatsFor(name: string): readonly SlotFormat[] {
  return SLOT_FORMATS_BY_NAME.get(name, (own) => {
    if (!isIdentifierShaped(own)) return [];
    // Split once for the hundred-odd formats, not once per format.
    const words = identifierWords(own);
    const joined = words.join('');
    return SLOT_FORMATS.filter((format) => wordsMatch(format, words, joined));
  });
}

export function formatById(id: string): FormatInfo | undefined {
  return PREFIX_FORMATS.find((f) => f.id === id) ?? SLOT_FORMATS.find((f) => f.id === id);
}
