// Rng::uniform_bits: the Philox4x32-10 rounds of Random123 on 16 (AVX-512) or 8 (AVX2) counters
// at once. A step draws one number per agent for several purposes (exposure, approach,
// recruitment), and one per tie of each partner (dialogue); one counter at a time that costs about
// 7 ns a draw on this project's machine, in 16 lanes about 1.6 ns (docs/performance.md). The rounds
// are integer arithmetic, so every path gives the same words: which one runs depends on the
// processor, never the results. The scalar path is Random123 itself; tests check the vector paths
// against it. GCC 12 warns inside its own AVX-512 headers (_mm512_undefined_epi32) at -O3; a known
// false positive, silenced for this file only.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include "sim/rng.h"

namespace fourp {

namespace {

// Random123's Philox4x32 constants (philox.h).
constexpr uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
constexpr uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
constexpr int kRounds = 10;

// The counters of a batch: agent first_agent + k, or agents[k] when a list is given.
struct Counter {
  uint32_t step, first_agent, purpose_word, index_word;
  const uint32_t* agents = nullptr;
  uint32_t agent(uint32_t k) const { return agents ? agents[k] : first_agent + k; }
};

void uniform_bits_scalar(const Counter& c, uint32_t first, uint32_t count, uint32_t* out,
                         uint32_t key0, uint32_t key1) {
  const r123::Philox4x32::key_type key = {{key0, key1}};
  for (uint32_t k = first; k < count; ++k) {
    const r123::Philox4x32::ctr_type ctr = {{c.step, c.agent(k), c.purpose_word, c.index_word}};
    out[k] = r123::Philox4x32{}(ctr, key)[0];
  }
}

// (hi, lo) of the 64-bit products x · m in each 32-bit lane (m the same in every lane): products
// of the even lanes and of the odd lanes (swapped down) are formed separately and interleaved
// again. The swaps and interleaves are 32-bit shuffles (port 5) rather than 64-bit shifts, which
// would share port 0 with the multiplies: port 0 bounded the whole kernel.
__attribute__((target("avx512f"))) inline void mulhilo(__m512i x, __m512i m, __m512i& hi,
                                                       __m512i& lo) {
  const __m512i even = _mm512_mul_epu32(x, m);
  const __m512i odd = _mm512_mul_epu32(_mm512_shuffle_epi32(x, _MM_PERM_CDAB), m);
  lo = _mm512_mask_shuffle_epi32(even, 0xAAAA, odd, _MM_PERM_CDAB);
  hi = _mm512_mask_shuffle_epi32(odd, 0x5555, even, _MM_PERM_CDAB);
}

__attribute__((target("avx512f"))) uint32_t uniform_bits_avx512(const Counter& c, uint32_t count,
                                                                uint32_t* out, uint32_t key0,
                                                                uint32_t key1) {
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(kM0));
  const __m512i m1 = _mm512_set1_epi32(static_cast<int>(kM1));
  const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  uint32_t k = 0;
  for (; k < count; k += 16) {
    const __mmask16 live =
        count - k >= 16 ? 0xFFFF : static_cast<__mmask16>((1u << (count - k)) - 1);
    __m512i x0 = _mm512_set1_epi32(static_cast<int>(c.step));
    __m512i x1 =
        c.agents ? _mm512_maskz_loadu_epi32(live, c.agents + k)
                 : _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(c.first_agent + k)), lanes);
    __m512i x2 = _mm512_set1_epi32(static_cast<int>(c.purpose_word));
    __m512i x3 = _mm512_set1_epi32(static_cast<int>(c.index_word));
    uint32_t a = key0, b = key1;
    for (int r = 0; r < kRounds; ++r) {
      if (r > 0) a += kW0, b += kW1;  // the key is bumped before every round but the first
      __m512i hi0, lo0, hi1, lo1;
      mulhilo(x0, m0, hi0, lo0);
      mulhilo(x2, m1, hi1, lo1);
      x0 = _mm512_ternarylogic_epi32(hi1, x1, _mm512_set1_epi32(static_cast<int>(a)), 0x96);
      x2 = _mm512_ternarylogic_epi32(hi0, x3, _mm512_set1_epi32(static_cast<int>(b)), 0x96);
      x1 = lo1, x3 = lo0;
    }
    _mm512_mask_storeu_epi32(out + k, live, x0);
  }
  return count;
}

__attribute__((target("avx2"))) inline void mulhilo(__m256i x, __m256i m, __m256i& hi,
                                                    __m256i& lo) {
  const __m256i even = _mm256_mul_epu32(x, m), odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

__attribute__((target("avx2"))) uint32_t uniform_bits_avx2(const Counter& c, uint32_t count,
                                                           uint32_t* out, uint32_t key0,
                                                           uint32_t key1) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kM0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(kM1));
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  uint32_t k = 0;
  for (; k + 8 <= count; k += 8) {
    __m256i x0 = _mm256_set1_epi32(static_cast<int>(c.step));
    __m256i x1 =
        c.agents ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c.agents + k))
                 : _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(c.first_agent + k)), lanes);
    __m256i x2 = _mm256_set1_epi32(static_cast<int>(c.purpose_word));
    __m256i x3 = _mm256_set1_epi32(static_cast<int>(c.index_word));
    uint32_t a = key0, b = key1;
    for (int r = 0; r < kRounds; ++r) {
      if (r > 0) a += kW0, b += kW1;
      __m256i hi0, lo0, hi1, lo1;
      mulhilo(x0, m0, hi0, lo0);
      mulhilo(x2, m1, hi1, lo1);
      x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), _mm256_set1_epi32(static_cast<int>(a)));
      x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), _mm256_set1_epi32(static_cast<int>(b)));
      x1 = lo1, x3 = lo0;
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + k), x0);
  }
  return k;
}

enum class Path { scalar, avx2, avx512 };

Path best_path() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return Path::avx512;
  if (__builtin_cpu_supports("avx2")) return Path::avx2;
  return Path::scalar;
}

}  // namespace

namespace {

void uniform_bits_any_path(const Counter& c, uint32_t count, uint32_t* out, uint32_t key0,
                           uint32_t key1, bool vector_paths) {
  static const Path path = best_path();
  uint32_t done = 0;
  if (vector_paths && path == Path::avx512) done = uniform_bits_avx512(c, count, out, key0, key1);
  if (vector_paths && path == Path::avx2) done = uniform_bits_avx2(c, count, out, key0, key1);
  uniform_bits_scalar(c, done, count, out, key0, key1);
}

}  // namespace

void Rng::uniform_bits(uint32_t step, uint32_t first_agent, uint32_t count, Purpose purpose,
                       uint64_t index, uint32_t* out, bool vector_paths) const {
  const Counter c{step, first_agent, purpose_word(purpose, index), static_cast<uint32_t>(index)};
  uniform_bits_any_path(c, count, out, key_[0], key_[1], vector_paths);
}

void Rng::uniform_bits_of(uint32_t step, const uint32_t* agents, uint32_t count, Purpose purpose,
                          uint64_t index, uint32_t* out, bool vector_paths) const {
  const Counter c{step, 0, purpose_word(purpose, index), static_cast<uint32_t>(index), agents};
  uniform_bits_any_path(c, count, out, key_[0], key_[1], vector_paths);
}

}  // namespace fourp
