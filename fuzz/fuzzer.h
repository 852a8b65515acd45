/*
 * fuzzer.h - what every fuzz target defines.
 *
 * libFuzzer calls these; so does replay.c, which runs the targets over
 * files as plain programs, built by any compiler.
 */
#ifndef MTLS_FUZZER_H
#define MTLS_FUZZER_H

#include <stddef.h>
#include <stdint.h>

/* Once, before the first input: load the fuzz PKI, configure. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* One input; returns 0.  A violated invariant aborts. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* MTLS_FUZZER_H */
