// FOURP_SIMD_CLONES before a function: compile it for x86-64-v4 (AVX-512), AVX2 and baseline
// x86-64, the version picked when the program loads (GCC function multiversioning, which needs
// the ifunc support of glibc). The versions do the same IEEE operations in the same order (no
// fused multiply-adds: the project builds with -ffp-contract=off), so they give the same bits. Configure with
// -DFOURP_SIMD_CLONES=OFF where ifunc is missing (musl, macOS) or to check that claim: the
// baseline version alone is then built.
#pragma once

#if defined(FOURP_USE_SIMD_CLONES) && defined(__x86_64__)
#define FOURP_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define FOURP_SIMD_CLONES
#endif
