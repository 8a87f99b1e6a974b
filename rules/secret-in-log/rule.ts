/**
 * secret-in-log: credentials, crypto keys and tokens (and, at lower confidence, patient identifiers)
 * passed to logging, console or serial-print calls. Names are judged word by word; lengths, flags,
 * hashes and masked forms of a secret are not reported.
 */
import type { Rule, RuleContext } from '../../server/src/core/types';
import { sensitiveReferences, type SensitiveReference } from '../_shared/secret-references';
import { isLogCall } from './sinks';

const TEST_PATH = /(?:^|\/)(?:tests?|__tests__|spec|testing)\/|(?:^|\/)test_[^/]*\.py$|_test\.(?:py|c|cc|cpp|kt|java)$|\.(?:test|spec)\.[cm]?[jt]sx?$|Tests?\.(?:java|kt)$/i;

function findSecretsInLogs(ctx: RuleContext): void {
  if (TEST_PATH.test(ctx.path.replace(/\\/g, '/'))) return;
  for (const call of ctx.model.calls) {
    if (!isLogCall(call, ctx.language)) continue;
    let best: { reference: SensitiveReference; span: { start: number; end: number } } | undefined;
    for (const arg of [...call.args, ...call.named.map((n) => n.value)]) {
      if (arg.kind === 'string' || arg.kind === 'number' || arg.kind === 'boolean' || arg.kind === 'null') continue;
      for (const reference of sensitiveReferences(arg.text, ctx.language)) {
        if (!best || (best.reference.kind === 'patient' && reference.kind !== 'patient')) best = { reference, span: arg };
      }
      if (best && best.reference.kind !== 'patient') break;
    }
    if (!best) continue;
    const { reference, span } = best;
    if (reference.kind === 'patient') {
      ctx.report({
        span,
        confidence: 'low',
        message: `'${reference.name}' (a ${reference.label}) is written to the log by ${call.callee}(): device and service logs are copied to service laptops, support tickets and cloud log stores, where patient data is not protected. Log a pseudonymous reference (an internal record id or a keyed hash) instead.`,
      });
    } else {
      ctx.report({
        span,
        message: `'${reference.name}' (a ${reference.label}) is written to the log by ${call.callee}(): logs are read over the UART console, collected by service tools and uploaded to log servers, so anyone who gets them gets the secret. Log that it was set or its length, never the value.`,
      });
    }
  }
}

const rule = {
  meta: {
    id: 'secret-in-log',
    title: 'Secret or patient identifier written to a log',
    severity: 'high',
    confidence: 'medium',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [532, 215],
    fda: ['app1.E.1', 'app1.F.2', '524b.b2'],
    iec62443: ['CR 4.1', 'CR 3.9'],
    fix: 'none',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds credentials (passwords, PINs, tokens, API keys, secrets), cryptographic keys (`aes_key`,',
        '`sessionKey`, BLE `ltk`/`irk`, LoRaWAN `appKey`) and, at low confidence, patient identifiers (`patient_id`,',
        '`mrn`, `ssn`, `dob`, `patientName`) passed to logging or console output: ESP-IDF `ESP_LOGx` and',
        '`ESP_LOG_BUFFER_HEX`, Zephyr `LOG_INF`/`LOG_DBG`/`LOG_HEXDUMP_*` and `printk`, Nordic `NRF_LOG_*`, Arduino',
        '`Serial.print(ln)`, `printf`; Python `logging`/`logger.*` and `print`; Android `Log.d/i/…`, Timber, JVM',
        'loggers and `System.out.println`; Node `console.*` and `logger.*`. Names inside f-strings, template',
        'literals, Kotlin string templates and concatenations count.',
        '',
        'Not reported: the length, presence or hash of a secret (`strlen(password)`, `len(token)`, `pw.length`,',
        '`token != null`, `mask(token)`, `token[:4]`), names that are not the secret (`password_prompt`,',
        '`tokenType`, `max_pin_attempts`, `has_password`), text in the format string, and test sources.',
      ].join('\n'),
      risk: [
        'Device logs travel far: UART and RTT consoles on the bench, service-tool exports, crash reports and cloud',
        'log pipelines. A Wi-Fi passphrase, pairing key or API token in a log gives anyone who reads it (a field',
        'engineer\'s laptop, a support ticket, an attacker on the hospital network who reaches the log server)',
        'access to the device or its backend. Patient identifiers in logs are a confidentiality breach in their',
        'own right. FDA asks that logs hold no secrets (Appendix 1, F.2) and that credentials and patient data stay',
        'confidential (E.1).',
      ].join('\n'),
      fix: [
        'Remove the secret from the log statement. Log that a credential was set, its length, or a non-reversible',
        'fingerprint (a truncated keyed hash) when you need to tell values apart. For patient data, log an',
        'internal record id. Make sure debug-level logs that print buffers (`ESP_LOG_BUFFER_HEX`) are not given',
        'key material.',
      ].join('\n'),
      examples: [
        {
          language: 'c',
          bad: 'void wifi_connect(const wifi_config_t *cfg) {\n    ESP_LOGI(TAG, "connecting to %s with %s", cfg->sta.ssid, cfg->sta.password);\n}\n',
          good: 'void wifi_connect(const wifi_config_t *cfg) {\n    ESP_LOGI(TAG, "connecting to %s (password length %d)", cfg->sta.ssid, (int)strlen((const char *)cfg->sta.password));\n}\n',
        },
        {
          language: 'python',
          bad: 'def login(user, password):\n    logger.debug(f"login attempt {user} / {password}")\n',
          good: 'def login(user, password):\n    logger.debug(f"login attempt {user} (password length {len(password)})")\n',
        },
        {
          language: 'kotlin',
          bad: 'fun onToken(authToken: String) {\n    Log.d(TAG, "received token $authToken")\n}\n',
          good: 'fun onToken(authToken: String) {\n    Log.d(TAG, "received token (${authToken.length} chars)")\n}\n',
        },
      ],
      fixSafety: 'No automatic fix: removing an argument would break the format string, and what to log instead (nothing, a length, a fingerprint) is the developer\'s call.',
      references: [
        { title: 'CWE-532: Insertion of Sensitive Information into Log File', url: 'https://cwe.mitre.org/data/definitions/532.html' },
        { title: 'OWASP Logging Cheat Sheet: data to exclude', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html' },
        { title: 'Android: log info disclosure', url: 'https://developer.android.com/privacy-and-security/risks/log-info-disclosure' },
      ],
    },
  },
  check: findSecretsInLogs,
} satisfies Rule;

export default rule;
