/*
 * text-stats: a Tether plugin in plain C (only libc and the Tether header), built with
 *     cc -shared -fPIC -fvisibility=hidden -I../../Sources/CTetherABI/include text_stats.c -o libtext_stats.so
 * (or `make`). Load it with `tether serve --plugins examples/c-text-stats`.
 *
 * It contributes one typed C command (tether.c-commands/1), `example.text-stats`: a plain C
 * function with the signature "void (string text, reply)". The host decodes {"text": "..."}
 * into a C string (a missing or non-string `text` is a bad_request naming it, before the
 * function is called) and the function answers {"bytes","lines","words","crc32"} through the
 * host's C helpers. No JSON is parsed or written here.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "tether_plugin.h"

static const tether_c_host_v1 *helpers; /* the host's C helpers, set by create() */

static uint32_t crc32(const unsigned char *data, size_t len) {
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/* The command itself. `text` is borrowed for the call; the answer may be given right away. */
static void text_stats(const char *text, tether_reply *reply) {
    size_t bytes = strlen(text), lines = 0, words = 0;
    int in_word = 0;
    for (size_t i = 0; i < bytes; i++) {
        char c = text[i];
        if (c == '\n') lines++;
        int space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
        if (!space && !in_word) words++;
        in_word = !space;
    }
    tether_arg result[] = {
        TETHER_INT("bytes", bytes), TETHER_INT("lines", lines), TETHER_INT("words", words),
        TETHER_INT("crc32", crc32((const unsigned char *)text, bytes)),
    };
    helpers->reply(reply, result, 4);
}

static const tether_c_command commands[] = {
    {"example.text-stats", "Count bytes, lines and words of a text and compute its CRC-32 (C example plugin)",
     "void (string text, reply)", (void (*)(void))text_stats},
};
static const tether_c_commands_v1 typed_commands = {
    sizeof(tether_c_commands_v1), TETHER_ABI_VERSION, commands, sizeof commands / sizeof commands[0]};

static int32_t plugin_create(const tether_host_api *host, const uint8_t *config, size_t config_len, void **out) {
    (void)config; (void)config_len;
    if (!TETHER_HAS_FIELD(host, tether_host_api, submit_within)) return TETHER_ERR_ABI; /* typed commands: 1.1 */
    helpers = host->get_extension(host->host_ctx, TETHER_HOST_EXT_C_HELPERS);
    *out = (void *)host;
    return helpers ? TETHER_OK : TETHER_ERR_ABI;
}

static void plugin_destroy(void *raw) { (void)raw; } /* answers are given before text_stats returns */

/* Typed commands do not go through handle(): nothing else is offered. */
static int32_t plugin_handle(void *raw, uint64_t id, const uint8_t *json, size_t len, tether_complete_fn cb, void *ctx) {
    (void)raw; (void)id; (void)json; (void)len; (void)cb; (void)ctx;
    return TETHER_ERR_UNSUPPORTED;
}

static void plugin_cancel(void *raw, uint64_t request_id) { (void)raw; (void)request_id; }

static const void *plugin_get_extension(void *raw, const char *id) {
    (void)raw;
    return strcmp(id, TETHER_EXT_C_COMMANDS) == 0 ? &typed_commands : NULL;
}

static const tether_plugin_descriptor descriptor = {
    sizeof(tether_plugin_descriptor), TETHER_ABI_VERSION, "io.tether.example.text-stats",
    "Text statistics (C example)", "1.1.0", 0, plugin_create, plugin_destroy, plugin_handle,
    plugin_cancel, plugin_get_extension};

TETHER_EXPORT const tether_plugin_descriptor *tether_plugin_entry(uint32_t host_abi_version) {
    return (host_abi_version >> 16) == TETHER_ABI_VERSION_MAJOR ? &descriptor : NULL;
}
