// The pump vendor's cloud API: therapy history of a pump.
const axios = require('axios');

const BASE = 'https://api.infusa-medical.com/v2';

async function fetchPumpHistory(pumpId) {
  const res = await axios.get(`${BASE}/pumps/${pumpId}/history?api_key=${process.env.PUMP_API_KEY}`);
  return res.data;
}

async function fetchPumpModel(pumpId) {
  const res = await axios.get(`${BASE}/pumps/${pumpId}/model`, {
    headers: { Authorization: `Bearer ${process.env.PUMP_API_KEY}` },
  });
  return res.data;
}

module.exports = { fetchPumpHistory, fetchPumpModel };
