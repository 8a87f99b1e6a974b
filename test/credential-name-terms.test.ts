/**
 * classifyCredentialName answers most names from a look for term text, before splitting and memo: every
 * kind of term (a word, a pair, a glued suffix) in every spelling real code uses must still be classified.
 */
import { describe, expect, it } from 'vitest';
import { classifyCredentialName } from '../rules/_shared/credential-names';

describe('credential names behind the term-text look', () => {
  it.each([
    ['wifi_password', 'password'],
    ['MQTT_PASS', 'password'],
    ['pwd', 'password'],
    ['userPw', 'password'],
    ['PSK', 'secret'],
    ['authToken', 'token'],
    ['creds', 'credentials'],
    ['PIN_CODE', 'pin'],
    ['pinCode', 'pin'],
    ['ble_passkey', 'pin'],
    ['API_KEY', 'api-key'],
    ['xApiKey', 'api-key'],
    ['aws_access_key', 'api-key'],
    ['privateKey', 'secret'],
    ['CLIENT_SECRET', 'secret'],
    ['pass_phrase', 'password'],
    ['PassWord', 'password'],
    ['wifipassword', 'password'],
    ['mqttpasswd', 'password'],
    ['cfg->sta.password', 'password'],
    ['Settings::adminPassword', 'password'],
    ['verificationCode', 'pin'],
    ['UNLOCK_CODE', 'pin'],
    ['pairingCode', 'pin'],
    ['accessCode', 'pin'],
  ])('%s is a %s', (name, kind) => {
    expect(classifyCredentialName(name)?.kind).toBe(kind);
  });

  it.each([
    ...['count', 'esp_err_t', 'ledPin', 'spin_lock', 'keyboard', 'password_length', 'MAX_PIN_ATTEMPTS', 'tokenType'],
    ...['statusCode', 'errorCode', 'countryCode', 'keyCode', 'opCode', 'colorCode', 'verificationCodeLength', 'code'],
  ])('%s is not a credential', (name) => {
    expect(classifyCredentialName(name)).toBeUndefined();
  });
});
