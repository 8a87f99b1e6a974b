/**
 * Where a URL becomes traffic, for every rule that asks whether a URL reaches the network: the client,
 * connect, WebView and download APIs a URL must reach to be an endpoint (`ctx.flow.uses` from the literal),
 * and the APIs that only show a URL to a person (a browser tab, a hyperlink), which are not endpoints of the
 * program. Matching is on the API as called (the
 * callee, the method name with its receiver, the constructor), and on the argument that holds the URL.
 */
import type { Call } from '../../server/src/core/model/types';
import type { LanguageId } from '../../server/src/core/types';

export interface NetworkSink {
  /** What the message says the URL is used for: "an HTTP request", "an MQTT connection". */
  what: string;
  languages: readonly LanguageId[];
  matches(call: Call): boolean;
  /** The inputs that are the URL: argument indexes, named-argument keys, or the receiver (`url.openConnection()`). */
  slots: readonly (number | string)[];
}

const JS = ['typescript', 'javascript'] as const;
const PY = ['python'] as const;
const JVM = ['java', 'kotlin'] as const;
const NATIVE = ['c', 'cpp'] as const;
const ALL = ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'] as const;

const HTTP_VERBS = 'get|post|put|delete|del|patch|head|options|request';
const callee = (pattern: RegExp) => (call: Call) => pattern.test(call.callee);
const named = (pattern: RegExp) => (call: Call) => pattern.test(call.name);
const created = (pattern: RegExp) => (call: Call) => call.isNew && pattern.test(call.name);

export const NETWORK_SINKS: readonly NetworkSink[] = [
  // Any language: `connect(url)` of a client (MQTT.js, socket.io, websockets, Jsoup, Paho) opens a connection.
  { what: 'a network connection', languages: ALL, matches: named(/^(?:connect|connectAsync)$/), slots: [0, 1, 'url', 'uri'] },

  // ---- JavaScript / TypeScript
  { what: 'an HTTP request', languages: JS, matches: callee(/^(?:(?:window|globalThis|self)\.)?fetch$/), slots: [0] },
  {
    what: 'an HTTP request',
    languages: JS,
    matches: callee(new RegExp(`^(?:axios|got|ky|request|superagent|needle)(?:\\.(?:${HTTP_VERBS}|create|stream))?$`)),
    slots: [0, 1],
  },
  {
    what: 'an HTTP request',
    languages: JS,
    matches: callee(new RegExp(`^(?:https?|\\$|jQuery)\\.(?:${HTTP_VERBS}|ajax|getJSON|getScript)$`)),
    slots: [0],
  },
  {
    what: 'an HTTP request',
    languages: JS,
    matches: (call) =>
      call.name === 'open' && call.args[0]?.kind === 'string' && /^(?:GET|POST|PUT|DELETE|PATCH|HEAD)$/i.test(call.args[0].value ?? ''),
    slots: [1],
  },
  { what: 'an HTTP request', languages: JS, matches: callee(/^navigator\.sendBeacon$/), slots: [0] },
  { what: 'a WebSocket', languages: JS, matches: created(/^(?:WebSocket|ReconnectingWebSocket|EventSource)$/), slots: [0] },
  { what: 'a socket.io connection', languages: JS, matches: callee(/^(?:io|socketIOClient|socketIo)$/), slots: [0] },
  { what: 'a page the app window loads', languages: JS, matches: named(/^loadURL$/), slots: [0] },

  // ---- Python
  {
    what: 'an HTTP request',
    languages: PY,
    matches: callee(new RegExp(`^(?:requests|httpx)\\.(?:${HTTP_VERBS}|stream)$`)),
    slots: [0, 'url'],
  },
  { what: 'an HTTP request', languages: PY, matches: callee(/^(?:requests|httpx|aiohttp)\.request$/), slots: [1, 'url'] },
  {
    what: 'an HTTP request',
    languages: PY,
    matches: callee(/^(?:(?:urllib\d?\.)?(?:request\.)?)(?:urlopen|urlretrieve|Request)$/),
    slots: [0, 'url'],
  },
  { what: 'a download', languages: PY, matches: callee(/^wget\.download$/), slots: [0, 'url'] },
  {
    what: 'a WebSocket',
    languages: PY,
    matches: callee(/^(?:websocket\.)?(?:create_connection|WebSocketApp)$|^websockets\.(?:connect|client\.connect)$/),
    slots: [0, 'url'],
  },
  {
    what: 'an XML-RPC or SOAP client',
    languages: PY,
    matches: callee(/^(?:xmlrpc\.client\.|xmlrpclib\.)?ServerProxy$|^(?:zeep|suds\.client)\.Client$/),
    slots: [0, 'uri', 'wsdl', 'url'],
  },
  // pip and easy_install download and run the packages at `dependency_links`.
  {
    what: 'a package download (pip fetches and installs the code found there)',
    languages: PY,
    matches: callee(/^(?:setuptools\.|distutils\.core\.)?setup$/),
    slots: ['dependency_links'],
  },

  // ---- Java / Kotlin
  { what: 'an HTTP connection', languages: JVM, matches: named(/^(?:openConnection|openStream|readText|readBytes)$/), slots: ['receiver'] },
  { what: 'an HTTP request', languages: JVM, matches: created(/^Http(?:Get|Post|Put|Delete|Patch|Head|Options)$/), slots: [0] },
  { what: 'an HTTP request', languages: JVM, matches: (call) => /^(?:url|baseUrl|uri)$/.test(call.name) && !!call.receiver, slots: [0] },
  { what: 'an HTTP request', languages: JVM, matches: callee(/(?:^|\.)HttpRequest\.newBuilder$/), slots: [0] },
  {
    what: 'an HTTP request',
    languages: JVM,
    matches: (call) => /^(?:StringRequest|JsonObjectRequest|JsonArrayRequest|ImageRequest|JsonRequest)$/.test(call.name),
    slots: [0, 1],
  },
  {
    what: 'an HTTP request',
    languages: JVM,
    matches: named(/^(?:getForObject|getForEntity|postForObject|postForEntity|postForLocation|exchange)$/),
    slots: [0],
  },
  { what: 'a download', languages: JVM, matches: callee(/(?:^|\.)DownloadManager\.Request$/), slots: [0] },
  { what: 'a page the WebView loads', languages: JVM, matches: named(/^(?:loadUrl|postUrl)$/), slots: [0] },
  { what: 'a socket.io connection', languages: JVM, matches: callee(/(?:^|\.)IO\.socket$/), slots: [0] },
  { what: 'an MQTT connection', languages: JVM, matches: (call) => /^(?:MqttClient|MqttAsyncClient)$/.test(call.name), slots: [0] },
  { what: 'an MQTT connection', languages: JVM, matches: (call) => call.name === 'MqttAndroidClient', slots: [1] },

  // ---- C / C++ (ESP-IDF, Arduino, libcurl, mongoose, Paho C, Qt, Improv Wi-Fi onboarding)
  {
    what: 'an HTTP request',
    languages: NATIVE,
    matches: named(/^(?:esp_http_client_init|esp_https_ota|esp_https_ota_begin)$/),
    slots: [0],
  },
  { what: 'an HTTP request', languages: NATIVE, matches: named(/^esp_http_client_set_url$/), slots: [1] },
  { what: 'an MQTT connection', languages: NATIVE, matches: named(/^esp_mqtt_client_init$/), slots: [0] },
  { what: 'an MQTT connection', languages: NATIVE, matches: named(/^esp_mqtt_client_set_uri$/), slots: [1] },
  { what: 'a WebSocket', languages: NATIVE, matches: named(/^esp_websocket_client_init$/), slots: [0] },
  { what: 'a WebSocket', languages: NATIVE, matches: named(/^esp_websocket_client_set_uri$/), slots: [1] },
  { what: 'an HTTP request', languages: NATIVE, matches: (call) => call.name === 'begin' && !!call.receiver, slots: [0, 1] },
  {
    what: 'a firmware download',
    languages: NATIVE,
    matches: (call) => call.name === 'update' && /^(?:ESPhttpUpdate|httpUpdate|ESP32httpUpdate)$/.test(call.receiver?.text ?? ''),
    slots: [0, 1],
  },
  {
    what: 'a libcurl transfer',
    languages: NATIVE,
    matches: (call) => call.name === 'curl_easy_setopt' && call.args[1]?.text === 'CURLOPT_URL',
    slots: [2],
  },
  { what: 'a network connection', languages: NATIVE, matches: named(/^mg_(?:http_connect|connect|mqtt_connect|ws_connect)$/), slots: [1] },
  { what: 'an MQTT connection', languages: NATIVE, matches: named(/^(?:MQTTClient_create|MQTTAsync_create)$/), slots: [1] },
  { what: 'a CoAP request', languages: NATIVE, matches: named(/^coap_split_uri$/), slots: [0] },
  { what: 'an HTTP request', languages: ['cpp'], matches: (call) => /^(?:QNetworkRequest)$/.test(call.name), slots: [0] },
  // Improv Wi-Fi: the URL a provisioning client opens next, where the user types Wi-Fi and account secrets.
  {
    what: 'the web address handed to the provisioning client',
    languages: NATIVE,
    matches: named(/^(?:build_rpc_response|setDeviceInfo)$/),
    slots: [1, 2, 3, 4],
  },
];

/** Calls that open a URL for a person to read (a browser tab, the system's URL handler): a link, not traffic. */
const BROWSER_OPEN: readonly RegExp[] = [
  /(?:^|\.)shell\.openExternal$/,
  /^(?:window\.)?open$/,
  /^webbrowser\.open(?:_new|_new_tab)?$/,
  /(?:^|\.)Linking\.openURL$/,
  /(?:^|\.)launchUrl$/,
  /(?:^|\.)startActivity$/,
  /(?:^|\.)QDesktopServices\.openUrl$/,
];

export function isBrowserOpen(call: Call): boolean {
  return (
    BROWSER_OPEN.some((pattern) => pattern.test(call.callee)) || (call.name === 'Intent' && /ACTION_VIEW$/.test(call.args[0]?.text ?? ''))
  );
}

export function sinksFor(language: LanguageId): readonly NetworkSink[] {
  return NETWORK_SINKS.filter((sink) => sink.languages.includes(language));
}
