// Pushes settings to a bedside device over its local HTTPS API.
const https = require('https');
const fs = require('fs');

const deviceCa = fs.readFileSync(process.env.DEVICE_CA_FILE || '/etc/clinic/device-ca.pem');

function pushToDevice(host, settings) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host, port: 443, path: '/settings', method: 'PUT', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } },
      (res) => resolve(res.statusCode),
    );
    req.on('error', reject);
    req.end(JSON.stringify(settings));
  });
}

function readDeviceStatus(host) {
  return new Promise((resolve, reject) => {
    const req = https.request({ host, port: 443, path: '/status', method: 'GET', ca: deviceCa }, (res) => resolve(res.statusCode));
    req.on('error', reject);
    req.end();
  });
}

module.exports = { pushToDevice, readDeviceStatus };
