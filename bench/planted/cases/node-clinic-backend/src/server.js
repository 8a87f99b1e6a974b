// Clinic back end: receives readings from the bedside devices and serves the clinicians' dashboard.
const express = require('express');
const cors = require('cors');
const { fetchPumpHistory } = require('./pump-api');
const { pushToDevice } = require('./device-client');

const app = express();
app.use(express.json());

const allowedOrigin = process.env.ALLOWED_ORIGIN || '*';
app.use('/api', cors({ origin: allowedOrigin }));

app.use('/admin', cors({ origin: ['https://stmarys-clinic.org', 'https://staff.stmarys-clinic.org'], credentials: true }));

app.get('/api/pumps/:id/history', async (req, res) => {
  res.json(await fetchPumpHistory(req.params.id));
});

app.post('/admin/pumps/:id/settings', async (req, res) => {
  res.json(await pushToDevice(req.params.id, req.body));
});

app.listen(Number(process.env.PORT || 8443));
