/*
 * signage-policy: a stricter profile policy for Admin Control Mode, in plain C (only libc and the
 * Tether header). Digital-signage sites never want remote KVM, so every acmactivate profile must
 * set "kvmEnabled": false. Built with
 *     cc -shared -fPIC -fvisibility=hidden -I../../Sources/CTetherABI/include signage_policy.c -o libsignage_policy.so
 * (or `make`). Use it INSTEAD of the bundled ACM policy:
 *     tether serve --plugins examples/signage-policy --disable io.tether.profile-acm
 *
 * Contract (tether.profile-policy/1): the host sends
 *     {"op":"profile.validate","operation":"create"|"update","profile":{…}}
 * the reply {} accepts the profile unchanged, an error body
 * {"error":…,"code":"bad_request","detail":[{"field":…,"message":…}]} rejects it. The request is
 * read and the reply built with the host's C helpers (tether.c-host/1): no JSON by hand.
 * The profile may carry plaintext passwords: this plugin never logs or copies request bytes.
 */
#include <string.h>
#include "tether_plugin.h"

static const tether_c_host_v1 *x; /* the host's C helpers */
static const char manifest[] = "{\"modes\":[\"acmactivate\"]}";
static const tether_extension_v1 policy_extension = {
    sizeof(tether_extension_v1), TETHER_ABI_VERSION, manifest, sizeof(manifest) - 1};

static int32_t plugin_create(const tether_host_api *host, const uint8_t *config, size_t config_len, void **out) {
    (void)config; (void)config_len;
    if (!TETHER_HAS_FIELD(host, tether_host_api, submit_within)) return TETHER_ERR_ABI; /* C helpers: 1.1 */
    x = host->get_extension(host->host_ctx, TETHER_HOST_EXT_C_HELPERS);
    if (!x) return TETHER_ERR_ABI;
    static const char ready[] = "signage policy ready: KVM must be disabled for acmactivate";
    host->log(host->host_ctx, TETHER_LOG_INFO, ready, sizeof(ready) - 1);
    *out = (void *)host; /* stateless */
    return TETHER_OK;
}

static void plugin_destroy(void *raw) { (void)raw; } /* every request is answered before handle returns */

static int is_true(const tether_json *request, const char *path) {
    int value = 0;
    return x->json_bool(request, path, &value) && value;
}

static int32_t plugin_handle(void *raw, uint64_t request_id, const uint8_t *bytes, size_t len,
                             tether_complete_fn cb, void *cb_ctx) {
    (void)raw; (void)request_id;
    const tether_json *request = x->json_parse(bytes, len);
    const char *op = request ? x->json_string(request, "op") : NULL;
    if (!op || strcmp(op, "profile.validate") != 0) {
        x->json_free(request);
        tether_arg refusal[] = {TETHER_STRING("error", "signage policy only answers profile.validate"),
                                TETHER_STRING("code", TETHER_CODE_UNSUPPORTED)};
        x->complete(cb, cb_ctx, TETHER_ERR_UNSUPPORTED, refusal, 2);
        return TETHER_OK;
    }
    int kvm = 1;
    int kvm_off = x->json_bool(request, "profile.kvmEnabled", &kvm) && !kvm;
    int mebx = x->json_string(request, "profile.mebxPassword") != NULL ||
               is_true(request, "profile.generateRandomMEBxPassword") || is_true(request, "profile.mebxPasswordStored");
    x->json_free(request);
    tether_arg kvm_problem[] = {TETHER_STRING("field", "kvmEnabled"),
                                TETHER_STRING("message", "KVM must be disabled on signage devices (set kvmEnabled to false)")};
    tether_arg mebx_problem[] = {TETHER_STRING("field", "activation"),
                                 TETHER_STRING("message", "MEBx Password is required for acmactivate")};
    tether_arg problems[2];
    size_t count = 0;
    if (!kvm_off) problems[count++] = (tether_arg)TETHER_OBJECT(NULL, kvm_problem, 2);
    if (!mebx) problems[count++] = (tether_arg)TETHER_OBJECT(NULL, mebx_problem, 2);
    if (count == 0) {
        x->complete(cb, cb_ctx, TETHER_OK, NULL, 0); /* {} */
        return TETHER_OK;
    }
    tether_arg rejection[] = {TETHER_STRING("error", "profile rejected by the signage policy"),
                              TETHER_STRING("code", TETHER_CODE_BAD_REQUEST), TETHER_ARRAY("detail", problems, count)};
    x->complete(cb, cb_ctx, TETHER_ERR_BAD_REQUEST, rejection, 3);
    return TETHER_OK;
}

static void plugin_cancel(void *raw, uint64_t request_id) { (void)raw; (void)request_id; }

static const void *plugin_get_extension(void *raw, const char *id) {
    (void)raw;
    return strcmp(id, TETHER_EXT_PROFILE_POLICY) == 0 ? &policy_extension : NULL;
}

static const tether_plugin_descriptor descriptor = {
    sizeof(tether_plugin_descriptor), TETHER_ABI_VERSION, "io.tether.example.signage-policy",
    "Signage ACM profile policy (C example)", "1.1.0", 0, plugin_create, plugin_destroy, plugin_handle,
    plugin_cancel, plugin_get_extension};

TETHER_EXPORT const tether_plugin_descriptor *tether_plugin_entry(uint32_t host_abi_version) {
    return (host_abi_version >> 16) == TETHER_ABI_VERSION_MAJOR ? &descriptor : NULL;
}
