/* Test-only shim for Wine 8, never shipped: Windows 10 and later have
 * bcryptprimitives.dll, Wine 8 does not, and cryptography's Rust core (like
 * every Rust >= 1.78 program) imports ProcessPrng from it. Same contract:
 * fill the buffer with cryptographically strong random bytes. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
