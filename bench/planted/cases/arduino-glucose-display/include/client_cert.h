// Client certificate and key of this display for the caregiver broker (mutual TLS).
#pragma once

static const char CLIENT_KEY[] =
{{pem-c:ec}};
