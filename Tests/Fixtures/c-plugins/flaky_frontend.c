/*
 * A front end (tether.frontend.http/1) that fails on purpose, for the gateway's failure bodies.
 * Compiled at test time against the frozen v1.1 header. Paths under its mount:
 *   .../slow     never answers by itself (the host's deadline passes); completes when cancelled.
 *   .../fail     answers an error (TETHER_ERR_GENERIC, code plugin_failure).
 *   .../busy     answers an error with code unavailable.
 *   .../echo     answers 200 with the x-request-id header it was given, as text.
 *   anything else: answers a reply without a status (malformed).
 * Built with -DDECLARED it is "flaky-declared" at /declared and declares failureBodies;
 * otherwise "flaky" at /flaky with no declaration.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tether_plugin.h"

#ifdef DECLARED
#define PLUGIN_ID "test.c.flaky-declared"
static const char manifest[] =
    "{\"name\":\"flaky-declared\",\"mount\":\"/declared\",\"failureBodies\":{"
    "\"timeout\":{\"status\":599,\"headers\":{\"x-why\":\"{message}\"},\"body_json\":{\"kind\":\"timeout\",\"why\":\"{message}\"}},"
    "\"failure\":{\"body_json\":{\"kind\":\"failure\",\"why\":[\"{message}\"]}}}}";
#else
#define PLUGIN_ID "test.c.flaky"
static const char manifest[] = "{\"name\":\"flaky\",\"mount\":\"/flaky\"}";
#endif
static const tether_extension_v1 frontend = {sizeof(tether_extension_v1), TETHER_ABI_VERSION, manifest, sizeof(manifest) - 1};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t parked_id;
static tether_complete_fn parked_cb;
static void *parked_ctx;

static void answer(tether_complete_fn cb, void *ctx, int32_t status, const char *json) {
    cb(ctx, status, (const uint8_t *)json, strlen(json));
}

static int32_t p_create(const tether_host_api *host, const uint8_t *config, size_t len, void **out) {
    (void)host; (void)config; (void)len;
    *out = (void *)&frontend;
    return TETHER_OK;
}

static void p_destroy(void *self) { (void)self; }

static int32_t p_handle(void *self, uint64_t id, const uint8_t *json, size_t len, tether_complete_fn cb, void *ctx) {
    (void)self;
    const char *text = (const char *)json;
    if (memmem(text, len, "/slow\"", 6)) {
        pthread_mutex_lock(&lock);
        parked_id = id; parked_cb = cb; parked_ctx = ctx;
        pthread_mutex_unlock(&lock);
    } else if (memmem(text, len, "/fail\"", 6)) {
        answer(cb, ctx, TETHER_ERR_GENERIC, "{\"error\":\"it broke\",\"code\":\"plugin_failure\"}");
    } else if (memmem(text, len, "/busy\"", 6)) {
        answer(cb, ctx, TETHER_ERR_BUSY, "{\"error\":\"too busy\",\"code\":\"unavailable\"}");
    } else if (memmem(text, len, "/echo\"", 6)) {
        /* The test's own fixture reads the one header it needs with a plain search. */
        char reply[256] = "{\"status\":200,\"body_json\":\"none\"}";
        const char *at = memmem(text, len, "\"x-request-id\":\"", 16);
        if (at) {
            at += 16;
            const char *end = memchr(at, '"', (size_t)(text + len - at));
            if (end && end - at < 100) snprintf(reply, sizeof reply, "{\"status\":200,\"body_json\":\"%.*s\"}", (int)(end - at), at);
        }
        answer(cb, ctx, TETHER_OK, reply);
    } else {
        answer(cb, ctx, TETHER_OK, "{\"headers\":{}}");
    }
    return TETHER_OK;
}

static void p_cancel(void *self, uint64_t id) {
    (void)self;
    pthread_mutex_lock(&lock);
    tether_complete_fn cb = parked_id == id ? parked_cb : NULL;
    void *ctx = parked_ctx;
    if (cb) { parked_id = 0; parked_cb = NULL; }
    pthread_mutex_unlock(&lock);
    if (cb) answer(cb, ctx, TETHER_ERR_CANCELLED, "{\"error\":\"cancelled\",\"code\":\"cancelled\"}");
}

static const void *p_get_extension(void *self, const char *id) {
    (void)self;
    return strcmp(id, TETHER_EXT_FRONTEND_HTTP) == 0 ? &frontend : NULL;
}

static const tether_plugin_descriptor descriptor = {
    sizeof(tether_plugin_descriptor), TETHER_ABI_VERSION, PLUGIN_ID, "failing front end (tests)", "1.1.0", 0,
    p_create, p_destroy, p_handle, p_cancel, p_get_extension,
};

TETHER_EXPORT const tether_plugin_descriptor *tether_plugin_entry(uint32_t host_abi_version) {
    return (host_abi_version >> 16) == TETHER_ABI_VERSION_MAJOR ? &descriptor : NULL;
}
