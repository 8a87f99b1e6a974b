package com.infusafe.companion.net

import android.content.Context
import com.infusafe.companion.R
import okhttp3.CertificatePinner
import okhttp3.OkHttpClient
import okhttp3.Request
import java.security.KeyStore
import java.security.SecureRandom
import java.security.cert.CertificateException
import java.security.cert.CertificateFactory
import java.security.cert.X509Certificate
import java.util.concurrent.TimeUnit
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager

/**
 * HTTP clients used by the InfuSafe clinician app: the fleet API (pinned) and
 * the local web server of IP-100 pumps on the ward network.
 */
object PumpApi {
    private const val FLEET_HOST = "fleet.infusafe-medical.com"
    const val FLEET_BASE_URL = "https://$FLEET_HOST/api/v2/"

    /** Trusts only the InfuSafe device root bundled as res/raw/infusafe_root_ca. */
    private class InfuSafeRootTrustManager(context: Context) : X509TrustManager {
        private val delegate: X509TrustManager

        init {
            val ca = context.resources.openRawResource(R.raw.infusafe_root_ca).use {
                CertificateFactory.getInstance("X.509").generateCertificate(it)
            }
            val store = KeyStore.getInstance(KeyStore.getDefaultType()).apply {
                load(null, null)
                setCertificateEntry("infusafe-root", ca)
            }
            val tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
            tmf.init(store)
            delegate = tmf.trustManagers.filterIsInstance<X509TrustManager>().first()
        }

        override fun checkClientTrusted(chain: Array<X509Certificate>, authType: String) =
            delegate.checkClientTrusted(chain, authType)

        override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {
            if (chain.isEmpty()) throw CertificateException("empty certificate chain")
            delegate.checkServerTrusted(chain, authType)
        }

        override fun getAcceptedIssuers(): Array<X509Certificate> = delegate.acceptedIssuers
    }

    fun fleetClient(context: Context): OkHttpClient {
        val trustManager = InfuSafeRootTrustManager(context)
        val sslContext = SSLContext.getInstance("TLS").apply {
            init(null, arrayOf(trustManager), SecureRandom())
        }
        return OkHttpClient.Builder()
            .sslSocketFactory(sslContext.socketFactory, trustManager)
            .certificatePinner(
                CertificatePinner.Builder()
                    .add(FLEET_HOST, "sha256/Qm9ndXNQaW5Gb3JJbmZ1U2FmZUZsZWV0QVBJMjAyNA==")
                    .build()
            )
            .connectTimeout(10, TimeUnit.SECONDS)
            .build()
    }

    /** IP-100 pumps present a self-signed certificate created at first boot. */
    fun legacyPumpClient(): OkHttpClient {
        val trustAll = object : X509TrustManager {
            override fun checkClientTrusted(chain: Array<X509Certificate>, authType: String) {}
            override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {}
            override fun getAcceptedIssuers(): Array<X509Certificate> = arrayOf()
        }
        val sslContext = SSLContext.getInstance("TLS").apply {
            init(null, arrayOf(trustAll), SecureRandom())
        }
        return OkHttpClient.Builder()
            .sslSocketFactory(sslContext.socketFactory, trustAll)
            .hostnameVerifier { _, _ -> true }
            .connectTimeout(5, TimeUnit.SECONDS)
            .build()
    }

    fun legacyStatusRequest(pumpAddress: String): Request =
        Request.Builder().url("https://$pumpAddress/status.json").get().build()
}
