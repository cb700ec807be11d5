/*
 * signage-policy: a stricter profile policy for Admin Control Mode, in plain C (only libc).
 * Digital-signage sites never want remote KVM, so every acmactivate profile must set
 * "kvmEnabled": false. Built with
 *     cc -shared -fPIC -fvisibility=hidden -I../../Sources/CTetherABI/include signage_policy.c -o libsignage_policy.so
 * (or `make`). Use it INSTEAD of the bundled ACM policy:
 *     tether serve --plugins examples/signage-policy --disable io.tether.profile-acm
 *
 * Contract (tether.profile-policy/1): the host sends
 *     {"op":"profile.validate","operation":"create"|"update","profile":{…}}
 * as compact JSON with sorted keys; the reply {} accepts the profile unchanged, an error body
 * {"error":…,"code":"bad_request","detail":[{"field":…,"message":…}]} rejects it.
 * The profile may carry plaintext passwords: this plugin never logs or copies request bytes.
 */
#include <stdio.h>
#include <string.h>
#include "tether_plugin.h"

static const char manifest[] = "{\"modes\":[\"acmactivate\"]}";

static const tether_extension_v1 policy_extension = {
    sizeof(tether_extension_v1), TETHER_ABI_VERSION, manifest, sizeof(manifest) - 1};

static int contains(const char *json, size_t len, const char *needle) {
    return memmem(json, len, needle, strlen(needle)) != NULL;
}

static void reply(tether_complete_fn cb, void *cb_ctx, int32_t status, const char *json) {
    cb(cb_ctx, status, (const uint8_t *)json, strlen(json));
}

static int32_t plugin_create(const tether_host_api *host, const uint8_t *config, size_t config_len, void **out) {
    (void)config; (void)config_len;
    static const char ready[] = "signage policy ready: KVM must be disabled for acmactivate";
    host->log(host->host_ctx, TETHER_LOG_INFO, ready, sizeof(ready) - 1);
    *out = (void *)host; /* stateless: keep the host table only */
    return TETHER_OK;
}

static void plugin_destroy(void *raw) { (void)raw; }

static int32_t plugin_handle(void *raw, uint64_t request_id, const uint8_t *bytes, size_t len,
                             tether_complete_fn cb, void *cb_ctx) {
    (void)raw; (void)request_id;
    const char *json = (const char *)bytes;
    if (!contains(json, len, "\"op\":\"profile.validate\"")) {
        reply(cb, cb_ctx, TETHER_ERR_UNSUPPORTED, "{\"error\":\"signage policy only answers profile.validate\",\"code\":\"unsupported\"}");
        return TETHER_OK;
    }
    char errors[512] = "";
    size_t used = 0;
    if (!contains(json, len, "\"kvmEnabled\":false")) {
        used += (size_t)snprintf(errors + used, sizeof errors - used, "%s{\"field\":\"kvmEnabled\",\"message\":\"%s\"}",
                                 used ? "," : "", "KVM must be disabled on signage devices (set kvmEnabled to false)");
    }
    int mebx = contains(json, len, "\"mebxPassword\":\"") || contains(json, len, "\"generateRandomMEBxPassword\":true") ||
               contains(json, len, "\"mebxPasswordStored\":true");
    if (!mebx) {
        used += (size_t)snprintf(errors + used, sizeof errors - used, "%s{\"field\":\"activation\",\"message\":\"%s\"}",
                                 used ? "," : "", "MEBx Password is required for acmactivate");
    }
    if (used == 0) {
        reply(cb, cb_ctx, TETHER_OK, "{}");
        return TETHER_OK;
    }
    char body[700];
    snprintf(body, sizeof body, "{\"error\":\"profile rejected by the signage policy\",\"code\":\"bad_request\",\"detail\":[%s]}", errors);
    reply(cb, cb_ctx, TETHER_ERR_BAD_REQUEST, body);
    return TETHER_OK;
}

static void plugin_cancel(void *raw, uint64_t request_id) { (void)raw; (void)request_id; }

static const void *plugin_get_extension(void *raw, const char *id) {
    (void)raw;
    return strcmp(id, TETHER_EXT_PROFILE_POLICY) == 0 ? &policy_extension : NULL;
}

static const tether_plugin_descriptor descriptor = {
    sizeof(tether_plugin_descriptor), TETHER_ABI_VERSION, "io.tether.example.signage-policy",
    "Signage ACM profile policy (C example)", "1.0.0", 0, plugin_create, plugin_destroy, plugin_handle,
    plugin_cancel, plugin_get_extension};

TETHER_EXPORT const tether_plugin_descriptor *tether_plugin_entry(uint32_t host_abi_version) {
    return (host_abi_version >> 16) == TETHER_ABI_VERSION_MAJOR ? &descriptor : NULL;
}
