/*
 * signage-display-restart: a vendor power action in plain C (only libc), built with `make`.
 * Load it with `tether serve --plugins examples/signage-display-restart`.
 *
 * Contributes action 900 "display-restart" (tether.power-actions/1): restart a signage player
 * gracefully (DMTF 14, soft reset, needs the OS agent); when the device refuses, fall back to a
 * hard reset (10). Built only on the host command `wsman.invoke` through host->submit, fully
 * asynchronous: each submit's completion starts the next step.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tether_plugin.h"

typedef struct instance {
    const tether_host_api *host;
    atomic_int inflight;
} instance;

typedef struct request {
    instance *self;
    tether_complete_fn cb;
    void *cb_ctx;
    char guid[40];
    int power_state; /* the state being tried: 14, then 10 */
} request;

static const char manifest[] =
    "{\"actions\":[{\"code\":900,\"name\":\"display-restart\","
    "\"description\":\"Restart the signage player: soft reset, hard reset if refused (vendor C example)\"}]}";

static const tether_extension_v1 actions_extension = {
    sizeof(tether_extension_v1), TETHER_ABI_VERSION, manifest, sizeof(manifest) - 1};

static void finish(request *r, int32_t status, const char *json) {
    instance *self = r->self;
    r->cb(r->cb_ctx, status, (const uint8_t *)json, strlen(json));
    free(r);
    atomic_fetch_sub(&self->inflight, 1);
}

static void on_reply(void *ctx, int32_t status, const uint8_t *json, size_t len);

/* Submits RequestPowerStateChange(r->power_state) through wsman.invoke. */
static int32_t submit_power(request *r) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "{\"command\":\"wsman.invoke\",\"args\":{\"guid\":\"%s\","
             "\"resourceUri\":\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_PowerManagementService\","
             "\"action\":\"Invoke\",\"method\":\"RequestPowerStateChange\",\"body\":[{\"PowerState\":%d},"
             "{\"ManagedElement\":{\"resourceUri\":\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ComputerSystem\","
             "\"selectors\":{\"CreationClassName\":\"CIM_ComputerSystem\",\"Name\":\"ManagedSystem\"}}}]}}",
             r->guid, r->power_state);
    const tether_host_api *host = r->self->host;
    return host->submit(host->host_ctx, (const uint8_t *)cmd, strlen(cmd), on_reply, r);
}

static void on_reply(void *ctx, int32_t status, const uint8_t *json, size_t len) {
    request *r = ctx;
    int ok = status == TETHER_OK && memmem(json, len, "\"ReturnValue\":0", 15) != NULL;
    char out[640];
    if (ok) {
        snprintf(out, sizeof out, "{\"Body\":{\"ReturnValue\":0,\"ReturnValueStr\":\"SUCCESS\"},\"powerState\":%d}",
                 r->power_state);
        finish(r, TETHER_OK, out);
        return;
    }
    if (r->power_state == 14 && status == TETHER_OK) { /* refused (e.g. no OS agent): hard reset */
        r->power_state = 10;
        if (submit_power(r) == TETHER_OK) return;
    }
    int embed = len > 0 && len <= 400 && json[0] == '{'; /* the host's reply, for people */
    snprintf(out, sizeof out, "{\"error\":\"display-restart failed at PowerState %d\",\"code\":\"device_failure\","
             "\"detail\":%.*s}", r->power_state, embed ? (int)len : 4, embed ? (const char *)json : "null");
    finish(r, TETHER_ERR_GENERIC, out);
}

static int32_t plugin_create(const tether_host_api *host, const uint8_t *config, size_t config_len, void **out) {
    (void)config; (void)config_len;
    if (!TETHER_HAS_FIELD(host, tether_host_api, release)) return TETHER_ERR_ABI;
    instance *self = calloc(1, sizeof(instance));
    if (!self) return TETHER_ERR_GENERIC;
    self->host = host;
    *out = self;
    return TETHER_OK;
}

static void plugin_destroy(void *raw) {
    instance *self = raw;
    struct timespec pause = {0, 1000000};
    while (atomic_load(&self->inflight) > 0) nanosleep(&pause, NULL); /* drain: no callback after return */
    free(self);
}

static int32_t plugin_handle(void *raw, uint64_t request_id, const uint8_t *json, size_t len,
                             tether_complete_fn cb, void *cb_ctx) {
    (void)request_id;
    const char *begin = (const char *)json, *key = memmem(begin, len, "\"guid\":\"", 8);
    if (!memmem(begin, len, "\"op\":\"power.action\"", 19) || !memmem(begin, len, "\"code\":900", 10) || !key) {
        const char *e = "{\"error\":\"display-restart only answers power.action 900 with a guid\",\"code\":\"bad_request\"}";
        cb(cb_ctx, TETHER_ERR_BAD_REQUEST, (const uint8_t *)e, strlen(e));
        return TETHER_OK;
    }
    request *r = calloc(1, sizeof(request));
    if (!r) return TETHER_ERR_BUSY;
    size_t n = 0;
    for (const char *p = key + 8; p < begin + len && *p != '"' && n < sizeof r->guid - 1; p++) {
        if (!strchr("0123456789abcdef-", *p)) break;
        r->guid[n++] = *p;
    }
    r->self = raw; r->cb = cb; r->cb_ctx = cb_ctx; r->power_state = 14;
    atomic_fetch_add(&r->self->inflight, 1);
    if (submit_power(r) != TETHER_OK) finish(r, TETHER_ERR_BUSY, "{\"error\":\"the host refused the command\",\"code\":\"unavailable\"}");
    return TETHER_OK;
}

static void plugin_cancel(void *raw, uint64_t request_id) { (void)raw; (void)request_id; /* steps are short */ }

static const void *plugin_get_extension(void *raw, const char *id) {
    (void)raw;
    return strcmp(id, TETHER_EXT_POWER_ACTIONS) == 0 ? &actions_extension : NULL;
}

static const tether_plugin_descriptor descriptor = {
    sizeof(tether_plugin_descriptor), TETHER_ABI_VERSION, "com.example.signage.display-restart",
    "Signage display restart (C example)", "1.0.0", 0, plugin_create, plugin_destroy, plugin_handle,
    plugin_cancel, plugin_get_extension};

TETHER_EXPORT const tether_plugin_descriptor *tether_plugin_entry(uint32_t host_abi_version) {
    return (host_abi_version >> 16) == TETHER_ABI_VERSION_MAJOR ? &descriptor : NULL;
}
