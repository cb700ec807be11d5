/*
 * A configurable C plugin for the plugin host's tests, compiled at test time against the FROZEN
 * v1.0 header (Tests/Fixtures/abi-v1.0) so that ABI v1.0 plugins keep loading forever.
 * Variants are chosen with -D: MODE_NULL_ENTRY, MODE_ABI2, MODE_SMALL, MODE_CREATE_FAIL,
 * MODE_FUTURE, MODE_NO_ENTRY, MODE_BAD_MANIFEST; PLUGIN_ID overrides the id.
 *
 * Commands (tether.commands/1): test.echo (returns its request), test.never (never calls back),
 * test.garbage (replies with malformed JSON), test.cancelable (completes only when cancelled),
 * test.fail (replies with an error body), test.version (submits host.version, relays the reply).
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "tether_plugin.h"

#ifndef PLUGIN_ID
#define PLUGIN_ID "test.c.plugin"
#endif

typedef struct instance {
    const tether_host_api *host;
    pthread_mutex_t lock;
    uint64_t parked_id;
    tether_complete_fn parked_cb;
    void *parked_ctx;
} instance;

#ifdef MODE_BAD_MANIFEST
static const char manifest[] = "{\"commands\": [ this is not json";
#else
static const char manifest[] =
    "{\"commands\":[{\"name\":\"test.echo\",\"summary\":\"echo\"},{\"name\":\"test.never\",\"summary\":\"never answers\"},"
    "{\"name\":\"test.garbage\",\"summary\":\"malformed reply\"},{\"name\":\"test.cancelable\",\"summary\":\"waits for cancel\"},"
    "{\"name\":\"test.fail\",\"summary\":\"fails\"},{\"name\":\"test.version\",\"summary\":\"asks the host\"}]}";
#endif
static const tether_extension_v1 commands_ext = {sizeof(tether_extension_v1), TETHER_ABI_VERSION, manifest, sizeof(manifest) - 1};

static void answer(tether_complete_fn cb, void *ctx, int32_t status, const char *json) {
    cb(ctx, status, (const uint8_t *)json, strlen(json));
}

static int32_t p_create(const tether_host_api *host, const uint8_t *config, size_t len, void **out) {
    (void)config; (void)len;
#ifdef MODE_CREATE_FAIL
    (void)host; (void)out;
    return TETHER_ERR_GENERIC;
#else
    instance *self = calloc(1, sizeof *self);
    self->host = host;
    pthread_mutex_init(&self->lock, NULL);
    *out = self;
    return TETHER_OK;
#endif
}

static void p_destroy(void *raw) {
    instance *self = raw;
    pthread_mutex_lock(&self->lock);
    if (self->parked_cb) answer(self->parked_cb, self->parked_ctx, TETHER_ERR_SHUTDOWN, "{\"error\":\"shutdown\"}");
    self->parked_cb = NULL;
    pthread_mutex_unlock(&self->lock);
    free(self);
}

typedef struct relay { tether_complete_fn cb; void *ctx; } relay;

static void relay_done(void *raw, int32_t status, const uint8_t *json, size_t len) {
    relay *r = raw;
    r->cb(r->ctx, status, json, len);
    free(r);
}

static int has(const uint8_t *json, size_t len, const char *needle) { return memmem(json, len, needle, strlen(needle)) != NULL; }

static int32_t p_handle(void *raw, uint64_t id, const uint8_t *json, size_t len, tether_complete_fn cb, void *ctx) {
    instance *self = raw;
    if (has(json, len, "\"test.echo\"")) {
        cb(ctx, TETHER_OK, json, len);
    } else if (has(json, len, "\"test.never\"")) {
        /* never calls back: the host's deadline must fire */
    } else if (has(json, len, "\"test.garbage\"")) {
        answer(cb, ctx, TETHER_OK, "{\"unterminated\": [1, 2");
    } else if (has(json, len, "\"test.fail\"")) {
        answer(cb, ctx, TETHER_ERR_NOT_FOUND, "{\"error\":\"no such widget\",\"code\":\"not_found\"}");
    } else if (has(json, len, "\"test.cancelable\"")) {
        pthread_mutex_lock(&self->lock);
        self->parked_id = id; self->parked_cb = cb; self->parked_ctx = ctx;
        pthread_mutex_unlock(&self->lock);
    } else if (has(json, len, "\"test.version\"")) {
        relay *r = malloc(sizeof *r);
        r->cb = cb; r->ctx = ctx;
        const char *req = "{\"command\":\"host.version\"}";
        if (self->host->submit(self->host->host_ctx, (const uint8_t *)req, strlen(req), relay_done, r) != TETHER_OK) {
            free(r);
            return TETHER_ERR_GENERIC;
        }
    } else {
        return TETHER_ERR_UNSUPPORTED;
    }
    return TETHER_OK;
}

static void p_cancel(void *raw, uint64_t id) {
    instance *self = raw;
    pthread_mutex_lock(&self->lock);
    if (self->parked_cb && self->parked_id == id) {
        answer(self->parked_cb, self->parked_ctx, TETHER_ERR_CANCELLED, "{\"error\":\"cancelled\",\"code\":\"cancelled\"}");
        self->parked_cb = NULL;
    }
    pthread_mutex_unlock(&self->lock);
}

static const void *p_get_extension(void *raw, const char *id) {
    (void)raw;
    return strcmp(id, TETHER_EXT_COMMANDS) == 0 ? &commands_ext : NULL;
}

#ifdef MODE_FUTURE
/* A "future minor" plugin: ABI 1.7 with fields appended after v1.0's get_extension. */
typedef struct future_descriptor {
    tether_plugin_descriptor v1;
    void (*future_hook)(void *);
    uint64_t future_flags;
} future_descriptor;
static const future_descriptor descriptor = {
    {sizeof(future_descriptor), 0x00010007u, PLUGIN_ID, "future", "9.9.9", 0, p_create, p_destroy, p_handle, p_cancel,
     p_get_extension},
    NULL, 42};
#else
static const tether_plugin_descriptor descriptor = {
#if defined(MODE_SMALL)
    40,
#else
    sizeof(tether_plugin_descriptor),
#endif
#if defined(MODE_ABI2)
    0x00020000u,
#else
    TETHER_ABI_VERSION,
#endif
    PLUGIN_ID, "test", "1.0.0", 0, p_create, p_destroy, p_handle, p_cancel, p_get_extension};
#endif

#ifdef MODE_NO_ENTRY
/* Exports a function under the wrong name: the host must not find an entry. */
TETHER_EXPORT const void *some_other_symbol(uint32_t v) { (void)v; return &descriptor; }
#else
TETHER_EXPORT const void *tether_plugin_entry(uint32_t host_abi_version) {
    (void)host_abi_version;
#ifdef MODE_NULL_ENTRY
    (void)descriptor;
    return NULL;
#else
    return &descriptor;
#endif
}
#endif
