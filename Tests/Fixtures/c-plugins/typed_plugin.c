/*
 * Typed C commands (tether.c-commands/1) for the host's tests, compiled against the frozen v1.1
 * header. Plain C functions: no JSON anywhere.
 *   typed.add     int64 (int64 a, int64 b)
 *   typed.scale   double (double x, int32 factor)
 *   typed.greet   string (string name, bool loud)      the result comes from host->alloc
 *   typed.echo    void (string text, reply)            answers from a thread of its own
 *   typed.never   void (reply)                         answers only when typed.release is called
 *   typed.release int32 ()                             answers the parked typed.never (late), returns 1 if it did
 *   typed.bad     int64 (widget w)                     refused at load: unknown type
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tether_plugin.h"

static const tether_host_api *host;
static const tether_c_host_v1 *x;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static tether_reply *parked;

static int64_t add(int64_t a, int64_t b) { return a + b; }
static double scale(double v, int32_t factor) { return v * factor; }

static char *greet(const char *name, bool loud) {
    char *out = host->alloc(host->host_ctx, strlen(name) + 16);
    sprintf(out, loud ? "HELLO, %s!" : "hello, %s", name);
    return out;
}

typedef struct echo_job { tether_reply *reply; char text[256]; } echo_job;

static void *echo_thread(void *raw) {
    echo_job *job = raw;
    tether_arg fields[] = {TETHER_STRING("echo", job->text), TETHER_INT("length", strlen(job->text))};
    x->reply(job->reply, fields, 2);
    free(job);
    return NULL;
}

static void echo(const char *text, tether_reply *reply) {
    echo_job *job = calloc(1, sizeof *job);
    job->reply = reply;
    snprintf(job->text, sizeof job->text, "%s", text);
    pthread_t thread;
    pthread_create(&thread, NULL, echo_thread, job);
    pthread_detach(thread);
}

static void never(tether_reply *reply) {
    pthread_mutex_lock(&lock);
    parked = reply;
    pthread_mutex_unlock(&lock);
}

static int32_t release_parked(void) {
    pthread_mutex_lock(&lock);
    tether_reply *reply = parked;
    parked = NULL;
    pthread_mutex_unlock(&lock);
    if (!reply) return 0;
    x->reply_error(reply, TETHER_CODE_DEVICE_ERROR, "too late");
    return 1;
}

static int64_t bad(int64_t w) { return w; }

static const tether_c_command commands[] = {
    {"typed.add", "adds", "int64 (int64 a, int64 b)", (void (*)(void))add},
    {"typed.scale", "scales", "double (double x, int32 factor)", (void (*)(void))scale},
    {"typed.greet", "greets", "string (string name, bool loud)", (void (*)(void))greet},
    {"typed.echo", "echoes later", "void (string text, reply)", (void (*)(void))echo},
    {"typed.never", "answers when released", "void (reply)", (void (*)(void))never},
    {"typed.release", "releases typed.never", "int32 ()", (void (*)(void))release_parked},
    {"typed.bad", "unknown type", "int64 (widget w)", (void (*)(void))bad},
};
static const tether_c_commands_v1 table = {sizeof table, TETHER_ABI_VERSION, commands, sizeof commands / sizeof commands[0]};

static int32_t p_create(const tether_host_api *h, const uint8_t *config, size_t len, void **out) {
    (void)config; (void)len;
    host = h;
    x = h->get_extension(h->host_ctx, TETHER_HOST_EXT_C_HELPERS);
    *out = (void *)h;
    return x ? TETHER_OK : TETHER_ERR_ABI;
}
static void p_destroy(void *raw) { (void)raw; }
static int32_t p_handle(void *raw, uint64_t id, const uint8_t *json, size_t len, tether_complete_fn cb, void *ctx) {
    (void)raw; (void)id; (void)json; (void)len; (void)cb; (void)ctx;
    return TETHER_ERR_UNSUPPORTED;
}
static void p_cancel(void *raw, uint64_t id) { (void)raw; (void)id; }
static const void *p_get_extension(void *raw, const char *id) {
    (void)raw;
    return strcmp(id, TETHER_EXT_C_COMMANDS) == 0 ? &table : NULL;
}

static const tether_plugin_descriptor descriptor = {
    sizeof(tether_plugin_descriptor), TETHER_ABI_VERSION, "test.c.typed", "typed command tests", "1.1.0", 0,
    p_create, p_destroy, p_handle, p_cancel, p_get_extension,
};

TETHER_EXPORT const tether_plugin_descriptor *tether_plugin_entry(uint32_t abi) {
    return (abi >> 16) == TETHER_ABI_VERSION_MAJOR ? &descriptor : NULL;
}
