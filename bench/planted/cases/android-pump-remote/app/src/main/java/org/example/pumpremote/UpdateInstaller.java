package org.example.pumpremote;

import android.app.DownloadManager;
import android.content.Context;
import android.content.Intent;
import android.net.Uri;
import androidx.core.content.FileProvider;
import java.io.File;

/** Self-update for side-loaded clinic installs: downloads the newest APK and hands it to the installer. */
public class UpdateInstaller {
    private static final String APK_URL = "https://downloads.pumpremote.app/latest/pump-remote.apk";
    private final Context context;

    public UpdateInstaller(Context context) {
        this.context = context;
    }

    public long download() {
        DownloadManager dm = (DownloadManager) context.getSystemService(Context.DOWNLOAD_SERVICE);
        DownloadManager.Request request = new DownloadManager.Request(Uri.parse(APK_URL));
        request.setDestinationInExternalFilesDir(context, null, "pump-remote.apk");
        return dm.enqueue(request);
    }

    public void install() {
        File apk = new File(context.getExternalFilesDir(null), "pump-remote.apk");
        Uri uri = FileProvider.getUriForFile(context, context.getPackageName() + ".files", apk);
        Intent intent = new Intent(Intent.ACTION_VIEW);
        intent.setDataAndType(uri, "application/vnd.android.package-archive");
        intent.addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION | Intent.FLAG_ACTIVITY_NEW_TASK);
        context.startActivity(intent);
    }
}
