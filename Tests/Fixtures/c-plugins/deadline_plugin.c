/*
 * A C plugin for the ABI 1.1 tests (deadlines and cancellation through submit), compiled at
 * test time against the frozen v1.1 header (Tests/Fixtures/abi-v1.1).
 *
 * Commands (tether.commands/1):
 *   dl.relay          submit_within(test.probe) for this request; relays the reply.
 *   dl.relay_short    the same with an own deadline 20 s from now (shorter than the parent's 60 s).
 *   dl.cancel_submit  parks; when cancelled, tries submit_within for the cancelled request and
 *                     completes (from inside cancel) with {"submit_status":N}.
 *   dl.late           parks (never answers by itself, ignores cancel).
 *   dl.finish_late    completes the parked dl.late request (late: after its deadline), then
 *                     answers {"late":N}: late completions made so far.
 *   dl.features       {"submit_within":0|1,"deadline":0|1}: what the host table offers, and
 *                     whether request_deadline_ns knows this request.
 * On a host table without the v1.1 fields, dl.relay falls back to the v1.0 submit.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tether_plugin.h"

typedef struct instance {
    const tether_host_api *host;
    pthread_mutex_t lock;
    uint64_t parked_id;
    tether_complete_fn parked_cb;
    void *parked_ctx;
    int late;
    tether_complete_fn late_cb;
    void *late_ctx;
} instance;

static const char manifest[] =
    "{\"commands\":[{\"name\":\"dl.relay\",\"summary\":\"\"},{\"name\":\"dl.relay_short\",\"summary\":\"\"},"
    "{\"name\":\"dl.cancel_submit\",\"summary\":\"\"},{\"name\":\"dl.late\",\"summary\":\"\"},"
    "{\"name\":\"dl.finish_late\",\"summary\":\"\"},{\"name\":\"dl.features\",\"summary\":\"\"}]}";
static const tether_extension_v1 commands_ext = {sizeof(tether_extension_v1), TETHER_ABI_VERSION, manifest, sizeof(manifest) - 1};
static const char probe[] = "{\"command\":\"test.probe\",\"args\":{}}";

static void answer(tether_complete_fn cb, void *ctx, int32_t status, const char *json) {
    cb(ctx, status, (const uint8_t *)json, strlen(json));
}

static int has_v11(const tether_host_api *host) {
    return TETHER_HAS_FIELD(host, tether_host_api, request_deadline_ns) && host->submit_within && host->cancel_submit;
}

typedef struct relay { tether_complete_fn cb; void *ctx; } relay;

static void relay_done(void *raw, int32_t status, const uint8_t *json, size_t len) {
    relay *r = raw;
    r->cb(r->ctx, status, json, len);
    free(r);
}

static int32_t p_create(const tether_host_api *host, const uint8_t *config, size_t len, void **out) {
    (void)config; (void)len;
    instance *self = calloc(1, sizeof *self);
    self->host = host;
    pthread_mutex_init(&self->lock, NULL);
    *out = self;
    return TETHER_OK;
}

static void p_destroy(void *raw) {
    instance *self = raw;
    pthread_mutex_lock(&self->lock);
    if (self->parked_cb) answer(self->parked_cb, self->parked_ctx, TETHER_ERR_SHUTDOWN, "{\"error\":\"shutdown\"}");
    self->parked_cb = NULL;
    if (self->late_cb) answer(self->late_cb, self->late_ctx, TETHER_ERR_SHUTDOWN, "{\"error\":\"shutdown\"}");
    self->late_cb = NULL;
    pthread_mutex_unlock(&self->lock);
}

static int32_t p_handle(void *raw, uint64_t id, const uint8_t *json, size_t len, tether_complete_fn cb, void *ctx) {
    instance *self = raw;
    const tether_host_api *host = self->host;
    const char *text = (const char *)json;
    if (memmem(text, len, "\"dl.relay", 9)) {
        int shorter = memmem(text, len, "\"dl.relay_short\"", 16) != NULL;
        relay *r = malloc(sizeof *r);
        r->cb = cb;
        r->ctx = ctx;
        int32_t status;
        if (has_v11(host)) {
            uint64_t deadline = shorter ? host->now_ns(host->host_ctx) + 20000ull * 1000u * 1000u : 0;
            uint64_t submit_id = 0;
            status = host->submit_within(host->host_ctx, id, deadline, (const uint8_t *)probe, sizeof(probe) - 1,
                                         relay_done, r, &submit_id);
        } else {
            status = host->submit(host->host_ctx, (const uint8_t *)probe, sizeof(probe) - 1, relay_done, r);
        }
        if (status != TETHER_OK) free(r);
        return status;
    }
    if (memmem(text, len, "\"dl.cancel_submit\"", 18)) {
        pthread_mutex_lock(&self->lock);
        self->parked_id = id;
        self->parked_cb = cb;
        self->parked_ctx = ctx;
        pthread_mutex_unlock(&self->lock);
        return TETHER_OK;
    }
    if (memmem(text, len, "\"dl.late\"", 9)) {
        pthread_mutex_lock(&self->lock);
        self->late_cb = cb;
        self->late_ctx = ctx;
        pthread_mutex_unlock(&self->lock);
        return TETHER_OK;
    }
    char reply[96];
    if (memmem(text, len, "\"dl.finish_late\"", 16)) {
        pthread_mutex_lock(&self->lock);
        if (self->late_cb) {
            answer(self->late_cb, self->late_ctx, TETHER_OK, "{\"late\":true}");
            self->late_cb = NULL;
            self->late += 1;
        }
        snprintf(reply, sizeof reply, "{\"late\":%d}", self->late);
        pthread_mutex_unlock(&self->lock);
        answer(cb, ctx, TETHER_OK, reply);
        return TETHER_OK;
    }
    if (memmem(text, len, "\"dl.features\"", 13)) {
        int known = has_v11(host) && host->request_deadline_ns(host->host_ctx, id) > host->now_ns(host->host_ctx);
        snprintf(reply, sizeof reply, "{\"submit_within\":%d,\"deadline\":%d}", has_v11(host), known);
        answer(cb, ctx, TETHER_OK, reply);
        return TETHER_OK;
    }
    return TETHER_ERR_UNSUPPORTED;
}

static void p_cancel(void *raw, uint64_t id) {
    instance *self = raw;
    const tether_host_api *host = self->host;
    pthread_mutex_lock(&self->lock);
    if (self->parked_cb && self->parked_id == id) {
        int32_t status = TETHER_ERR_UNSUPPORTED;
        relay *r = malloc(sizeof *r);
        r->cb = self->parked_cb;
        r->ctx = self->parked_ctx;
        if (has_v11(host))
            status = host->submit_within(host->host_ctx, id, 0, (const uint8_t *)probe, sizeof(probe) - 1, relay_done, r, NULL);
        if (status == TETHER_OK) {
            /* Must not happen: the request was cancelled. The relay answers instead. */
        } else {
            free(r);
            char reply[64];
            snprintf(reply, sizeof reply, "{\"submit_status\":%d}", (int)status);
            answer(self->parked_cb, self->parked_ctx, TETHER_OK, reply); /* completing inside cancel */
        }
        self->parked_cb = NULL;
    }
    pthread_mutex_unlock(&self->lock);
}

static const void *p_get_extension(void *raw, const char *id) {
    (void)raw;
    return strcmp(id, TETHER_EXT_COMMANDS) == 0 ? &commands_ext : NULL;
}

static const tether_plugin_descriptor descriptor = {
    sizeof(tether_plugin_descriptor), TETHER_ABI_VERSION, "test.c.deadlines", "deadline tests", "1.1.0", 0,
    p_create, p_destroy, p_handle, p_cancel, p_get_extension,
};

TETHER_EXPORT const tether_plugin_descriptor *tether_plugin_entry(uint32_t host_abi_version) {
    return (host_abi_version >> 16) == TETHER_ABI_VERSION_MAJOR ? &descriptor : NULL;
}
