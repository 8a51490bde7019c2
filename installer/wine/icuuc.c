/* Test-only shim for Wine 8, never shipped: Windows 10 1903 and later have
 * icuuc.dll, Wine 8 does not, and Qt6Core imports ICU's converter API from
 * it (QStringConverter's legacy code pages). Every converter is unavailable
 * here, as ICU reports for an unknown name: Qt then keeps to the encodings
 * it implements itself (UTF-8/16/32, Latin-1), which is all the app uses. */
#include <stddef.h>
#include <stdint.h>

typedef int UErrorCode;
#define U_FILE_ACCESS_ERROR 4
#define EXPORT __declspec(dllexport)

static void fail(UErrorCode *status) {
    if (status != NULL && *status <= 0) *status = U_FILE_ACCESS_ERROR;
}

EXPORT void *ucnv_open(const char *name, UErrorCode *status) { (void)name; fail(status); return NULL; }
EXPORT void ucnv_close(void *converter) { (void)converter; }
EXPORT void ucnv_reset(void *converter) { (void)converter; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *status) {
    (void)name; (void)standard; fail(status); return NULL;
}
EXPORT const char *ucnv_getName(const void *converter, UErrorCode *status) { (void)converter; fail(status); return NULL; }
EXPORT int8_t ucnv_getMaxCharSize(const void *converter) { (void)converter; return 4; }
EXPORT void ucnv_getToUCallBack(const void *c, void **action, const void **context) { (void)c; *action = NULL; *context = NULL; }
EXPORT void ucnv_getFromUCallBack(const void *c, void **action, const void **context) { (void)c; *action = NULL; *context = NULL; }
EXPORT void ucnv_setToUCallBack(void *c, void *a, const void *x, void **oa, const void **ox, UErrorCode *status) {
    (void)c; (void)a; (void)x; (void)oa; (void)ox; fail(status);
}
EXPORT void ucnv_setFromUCallBack(void *c, void *a, const void *x, void **oa, const void **ox, UErrorCode *status) {
    (void)c; (void)a; (void)x; (void)oa; (void)ox; fail(status);
}
EXPORT void ucnv_toUnicode(void *c, void **t, const void *tl, const char **s, const char *sl, int32_t *o, int8_t f, UErrorCode *status) {
    (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(status);
}
EXPORT void ucnv_fromUnicode(void *c, char **t, const char *tl, const void **s, const void *sl, int32_t *o, int8_t f, UErrorCode *status) {
    (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(status);
}
EXPORT int32_t ucnv_toUCountPending(const void *c, UErrorCode *status) { (void)c; fail(status); return 0; }
EXPORT int32_t ucnv_fromUCountPending(const void *c, UErrorCode *status) { (void)c; fail(status); return 0; }
EXPORT void ucnv_cbToUWriteUChars(void *args, const void *source, int32_t length, int32_t offset, UErrorCode *status) {
    (void)args; (void)source; (void)length; (void)offset; fail(status);
}
EXPORT void ucnv_cbFromUWriteUChars(void *args, const void **source, const void *limit, int32_t offset, UErrorCode *status) {
    (void)args; (void)source; (void)limit; (void)offset; fail(status);
}
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const void *u, int32_t l, int32_t cp, int r, UErrorCode *status) {
    (void)c; (void)a; (void)u; (void)l; (void)cp; (void)r; (void)status;
}
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const char *b, int32_t l, int r, UErrorCode *status) {
    (void)c; (void)a; (void)b; (void)l; (void)r; (void)status;
}
