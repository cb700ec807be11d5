/* signage-display-restart: vendor power action 900 in plain C (libc + the Tether header), built
 * with `make`; load it with `tether serve --plugins examples/signage-display-restart`. Restarts a
 * signage player gracefully (power state 14, soft reset); when the device refuses, hard reset
 * (10). Host command amt.power.change through the C helpers: no JSON written, none scanned. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tether_plugin.h"

static const tether_host_api *host;
static const tether_c_host_v1 *x; /* the host's C helpers */
static atomic_int inflight;       /* destroy() waits for these */
typedef struct job { tether_complete_fn cb; void *cb_ctx; uint64_t id; char guid[64]; int state; } job;
static const char manifest[] = "{\"actions\":[{\"code\":900,\"name\":\"display-restart\","
    "\"description\":\"Restart the signage player: soft reset, hard reset if refused (vendor C example)\"}]}";
static const tether_extension_v1 actions = {sizeof actions, TETHER_ABI_VERSION, manifest, sizeof manifest - 1};

static void finish(job *j, int32_t status, const tether_arg *fields, size_t count) {
    x->complete(j->cb, j->cb_ctx, status, fields, count);
    free(j);
    atomic_fetch_sub(&inflight, 1);
}
static void power(job *j);
static void done(void *ctx, int32_t status, const tether_json *reply) {
    job *j = ctx;
    int64_t rv = -1;
    int ok = status == TETHER_OK && x->json_int(reply, "returnValue", &rv) && rv == 0;
    if (!ok && j->state == 14 && status == TETHER_OK) { j->state = 10; power(j); return; } /* refused: hard reset */
    tether_arg good[] = {TETHER_VALUE("returnValue", reply, "returnValue"), TETHER_VALUE("returnValueName", reply, "returnValueName"), TETHER_INT("powerState", j->state)};
    tether_arg bad[] = {TETHER_STRING("error", "display-restart failed"), TETHER_STRING("code", TETHER_CODE_DEVICE_ERROR),
                        TETHER_VALUE("detail", reply, "")};
    if (ok) finish(j, TETHER_OK, good, 3); else finish(j, status < 0 ? status : TETHER_ERR_GENERIC, bad, 3);
}
static void power(job *j) {
    tether_arg args[] = {TETHER_STRING("guid", j->guid), TETHER_INT("powerState", j->state)};
    tether_arg busy[] = {TETHER_STRING("error", "the host refused the command"), TETHER_STRING("code", TETHER_CODE_UNAVAILABLE)};
    if (x->call(host, j->id, "amt.power.change", args, 2, done, j) != TETHER_OK) finish(j, TETHER_ERR_BUSY, busy, 2);
}
static int32_t handle(void *self, uint64_t id, const uint8_t *json, size_t len, tether_complete_fn cb, void *cb_ctx) {
    const tether_json *request = x->json_parse(json, len);
    const char *guid = request ? x->json_string(request, "guid") : NULL;
    job *j = guid && strlen(guid) < sizeof j->guid ? calloc(1, sizeof *j) : NULL;
    if (j) { *j = (job){cb, cb_ctx, id, "", 14}; strcpy(j->guid, guid); atomic_fetch_add(&inflight, 1); }
    x->json_free(request);
    if (j) power(j);
    return (void)self, j ? TETHER_OK : TETHER_ERR_BAD_REQUEST;
}
static int32_t create(const tether_host_api *h, const uint8_t *c, size_t n, void **out) {
    (void)c; (void)n;
    if (!TETHER_HAS_FIELD(h, tether_host_api, submit_within)) return TETHER_ERR_ABI; /* needs a 1.1 host */
    host = h; x = h->get_extension(h->host_ctx, TETHER_HOST_EXT_C_HELPERS); *out = (void *)h;
    return x ? TETHER_OK : TETHER_ERR_ABI;
}
static void destroy(void *self) { struct timespec ms = {0, 1000000}; while (atomic_load(&inflight) > 0 && self) nanosleep(&ms, NULL); }
static void cancel(void *self, uint64_t id) { (void)self; (void)id; } /* the host cancels the calls made for `id` */
static const void *extension(void *self, const char *id) { (void)self; return strcmp(id, TETHER_EXT_POWER_ACTIONS) ? NULL : &actions; }
static const tether_plugin_descriptor descriptor = {sizeof descriptor, TETHER_ABI_VERSION, "com.example.signage.display-restart",
    "Signage display restart (C example)", "1.1.0", 0, create, destroy, handle, cancel, extension};
TETHER_EXPORT const tether_plugin_descriptor *tether_plugin_entry(uint32_t abi) { return abi >> 16 == TETHER_ABI_VERSION_MAJOR ? &descriptor : NULL; }
