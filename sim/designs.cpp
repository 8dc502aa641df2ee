#include "sim/designs.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/rng.h"

namespace fourp {

namespace {

// Stream tags (the `step` word of the counter) of the design draws, so that no two uses of
// Purpose::sweep under one key can meet.
constexpr uint32_t kLhsStream = 0x10000000u;
constexpr uint32_t kSobolStream = 0x20000000u;
constexpr uint32_t kMorrisStream = 0x40000000u;

// Primitive polynomials and initial direction numbers m_1 … m_s of Sobol' dimensions 2 … 64,
// from Joe & Kuo, "Constructing Sobol sequences with better two-dimensional projections", SIAM
// J. Sci. Comput. 30 (2008) 2635-2654, file new-joe-kuo-6.21201 (as shipped in Boost.Random's
// sobol_table.hpp, from which these lines were extracted). `poly` holds every coefficient of
// x^s + a_1 x^(s-1) + … + a_(s-1) x + 1 as bits (bit s = x^s, bit 0 = 1).
struct SobolPoly {
  uint32_t poly;
  uint32_t degree;
  std::array<uint32_t, 9> m;
};
constexpr SobolPoly kSobolTable[] = {
    {3, 1, {1}},
    {7, 2, {1, 3}},
    {11, 3, {1, 3, 1}},
    {13, 3, {1, 1, 1}},
    {19, 4, {1, 1, 3, 3}},
    {25, 4, {1, 3, 5, 13}},
    {37, 5, {1, 1, 5, 5, 17}},
    {41, 5, {1, 1, 5, 5, 5}},
    {47, 5, {1, 1, 7, 11, 19}},
    {55, 5, {1, 1, 5, 1, 1}},
    {59, 5, {1, 1, 1, 3, 11}},
    {61, 5, {1, 3, 5, 5, 31}},
    {67, 6, {1, 3, 3, 9, 7, 49}},
    {91, 6, {1, 1, 1, 15, 21, 21}},
    {97, 6, {1, 3, 1, 13, 27, 49}},
    {103, 6, {1, 1, 1, 15, 7, 5}},
    {109, 6, {1, 3, 1, 15, 13, 25}},
    {115, 6, {1, 1, 5, 5, 19, 61}},
    {131, 7, {1, 3, 7, 11, 23, 15, 103}},
    {137, 7, {1, 3, 7, 13, 13, 15, 69}},
    {143, 7, {1, 1, 3, 13, 7, 35, 63}},
    {145, 7, {1, 3, 5, 9, 1, 25, 53}},
    {157, 7, {1, 3, 1, 13, 9, 35, 107}},
    {167, 7, {1, 3, 1, 5, 27, 61, 31}},
    {171, 7, {1, 1, 5, 11, 19, 41, 61}},
    {185, 7, {1, 3, 5, 3, 3, 13, 69}},
    {191, 7, {1, 1, 7, 13, 1, 19, 1}},
    {193, 7, {1, 3, 7, 5, 13, 19, 59}},
    {203, 7, {1, 1, 3, 9, 25, 29, 41}},
    {211, 7, {1, 3, 5, 13, 23, 1, 55}},
    {213, 7, {1, 3, 7, 3, 13, 59, 17}},
    {229, 7, {1, 3, 1, 3, 5, 53, 69}},
    {239, 7, {1, 1, 5, 5, 23, 33, 13}},
    {241, 7, {1, 1, 7, 7, 1, 61, 123}},
    {247, 7, {1, 1, 7, 9, 13, 61, 49}},
    {253, 7, {1, 3, 3, 5, 3, 55, 33}},
    {285, 8, {1, 3, 1, 15, 31, 13, 49, 245}},
    {299, 8, {1, 3, 5, 15, 31, 59, 63, 97}},
    {301, 8, {1, 3, 1, 11, 11, 11, 77, 249}},
    {333, 8, {1, 3, 1, 11, 27, 43, 71, 9}},
    {351, 8, {1, 1, 7, 15, 21, 11, 81, 45}},
    {355, 8, {1, 3, 7, 3, 25, 31, 65, 79}},
    {357, 8, {1, 3, 1, 1, 19, 11, 3, 205}},
    {361, 8, {1, 1, 5, 9, 19, 21, 29, 157}},
    {369, 8, {1, 3, 7, 11, 1, 33, 89, 185}},
    {391, 8, {1, 3, 3, 3, 15, 9, 79, 71}},
    {397, 8, {1, 3, 7, 11, 15, 39, 119, 27}},
    {425, 8, {1, 1, 3, 1, 11, 31, 97, 225}},
    {451, 8, {1, 1, 1, 3, 23, 43, 57, 177}},
    {463, 8, {1, 3, 7, 7, 17, 17, 37, 71}},
    {487, 8, {1, 3, 1, 5, 27, 63, 123, 213}},
    {501, 8, {1, 1, 3, 5, 11, 43, 53, 133}},
    {529, 9, {1, 3, 5, 5, 29, 17, 47, 173, 479}},
    {539, 9, {1, 3, 3, 11, 3, 1, 109, 9, 69}},
    {545, 9, {1, 1, 1, 5, 17, 39, 23, 5, 343}},
    {557, 9, {1, 3, 1, 5, 25, 15, 31, 103, 499}},
    {563, 9, {1, 1, 1, 11, 11, 17, 63, 105, 183}},
    {601, 9, {1, 1, 5, 11, 9, 29, 97, 231, 363}},
    {607, 9, {1, 1, 5, 15, 19, 45, 41, 7, 383}},
    {617, 9, {1, 3, 7, 7, 31, 19, 83, 137, 221}},
    {623, 9, {1, 1, 1, 3, 23, 15, 111, 223, 83}},
    {631, 9, {1, 1, 5, 13, 31, 15, 55, 25, 161}},
    {637, 9, {1, 1, 3, 13, 25, 47, 39, 87, 257}},
};
static_assert(std::size(kSobolTable) + 1 == kMaxSobolDimensions);

constexpr int kBits = 32;

// Direction numbers v_1 … v_32 of one dimension, as 32-bit integers (v_k = m_k · 2^(32-k)).
// Dimension 0 is van der Corput's (every m_k = 1).
std::array<uint32_t, kBits> direction_numbers(size_t dim) {
  std::array<uint32_t, kBits> m{};
  if (dim == 0) {
    m.fill(1);
  } else {
    const SobolPoly& p = kSobolTable[dim - 1];
    const uint32_t s = p.degree;
    for (uint32_t k = 0; k < s; ++k) m[k] = p.m[k];
    // Bratley & Fox: m_k = 2 a_1 m_(k-1) ⊕ 4 a_2 m_(k-2) ⊕ … ⊕ 2^s m_(k-s) ⊕ m_(k-s)
    for (uint32_t k = s; k < kBits; ++k) {
      uint32_t v = m[k - s] ^ (m[k - s] << s);
      for (uint32_t i = 1; i < s; ++i)
        if ((p.poly >> (s - i)) & 1u) v ^= m[k - i] << i;
      m[k] = v;
    }
  }
  std::array<uint32_t, kBits> v{};
  for (int k = 0; k < kBits; ++k) v[k] = m[k] << (kBits - 1 - k);
  return v;
}

uint32_t parity(uint32_t x) {
  return static_cast<uint32_t>(std::popcount(x) & 1);
}

// Matoušek's linear matrix scramble: output digit r (r = 0 the most significant) is the parity of
// the input digits 0 … r selected by row r of a random lower-triangular matrix with unit diagonal.
struct Scramble {
  std::array<uint32_t, kBits> rows{};
  uint32_t shift = 0;
  uint32_t apply(uint32_t x) const {
    uint32_t y = 0;
    for (int r = 0; r < kBits; ++r) y |= parity(rows[r] & x) << (kBits - 1 - r);
    return y;
  }
};

Scramble draw_scramble(const Rng& rng, size_t dim) {
  Scramble s;
  const uint32_t stream = kSobolStream + static_cast<uint32_t>(dim);
  for (int r = 0; r < kBits; ++r) {
    const uint32_t diagonal = 1u << (kBits - 1 - r);
    const uint32_t above = r == 0 ? 0u : ~0u << (kBits - r);  // more significant digits
    s.rows[r] =
        diagonal | (rng.bits(stream, static_cast<uint32_t>(r), Purpose::sweep, 0)[0] & above);
  }
  s.shift = rng.bits(stream, kBits, Purpose::sweep, 0)[0];
  return s;
}

double to_unit(uint32_t x) {
  return (static_cast<double>(x) + 0.5) * 0x1p-32;
}

}  // namespace

std::vector<std::vector<double>> grid_points(const std::vector<std::vector<double>>& values) {
  size_t rows = 1;
  for (const auto& v : values) rows *= v.size();
  if (values.empty()) rows = 0;
  std::vector<std::vector<double>> out(rows, std::vector<double>(values.size()));
  for (size_t r = 0; r < rows; ++r) {
    size_t rest = r;
    for (size_t i = values.size(); i-- > 0;) {  // the last list varies fastest
      out[r][i] = values[i][rest % values[i].size()];
      rest /= values[i].size();
    }
  }
  return out;
}

UnitPoints latin_hypercube(uint32_t n, size_t d, uint64_t seed) {
  const Rng rng(seed, 0);
  UnitPoints out(n, std::vector<double>(d));
  std::vector<std::pair<uint32_t, uint32_t>> keys(n);
  for (size_t i = 0; i < d; ++i) {
    const uint32_t stream = kLhsStream + static_cast<uint32_t>(i);
    // A uniform random permutation: sort by random keys (ties broken by the point index).
    for (uint32_t j = 0; j < n; ++j) keys[j] = {rng.bits(stream, j, Purpose::sweep, 0)[0], j};
    std::sort(keys.begin(), keys.end());
    for (uint32_t k = 0; k < n; ++k) {
      const uint32_t j = keys[k].second;  // point j falls in stratum k
      const double u = rng.uniform(stream, j, Purpose::sweep, 1);
      out[j][i] = (static_cast<double>(k) + u) / static_cast<double>(n);
    }
  }
  return out;
}

UnitPoints sobol_points(uint32_t n, size_t d, uint64_t seed, bool scramble) {
  if (d > kMaxSobolDimensions)
    throw std::invalid_argument(
        fmt::format("sobol_points: {} dimensions, at most {}", d, kMaxSobolDimensions));
  const Rng rng(seed, 0);
  UnitPoints out(n, std::vector<double>(d));
  for (size_t i = 0; i < d; ++i) {
    std::array<uint32_t, kBits> v = direction_numbers(i);
    uint32_t shift = 0;
    if (scramble) {
      const Scramble s = draw_scramble(rng, i);
      for (auto& x : v) x = s.apply(x);  // L·(⊕ v_k) = ⊕ L·v_k: scramble the directions once
      shift = s.shift;
    }
    // Gray code: point j is the XOR of the directions of the set bits of j ^ (j >> 1).
    uint32_t x = 0;
    for (uint32_t j = 0; j < n; ++j) {
      if (j > 0) x ^= v[std::countr_zero(j)];
      out[j][i] = to_unit(x ^ shift);
    }
  }
  return out;
}

UnitPoints saltelli_points(uint32_t n, size_t d, uint64_t seed) {
  const UnitPoints base = sobol_points(n, 2 * d, seed, true);
  UnitPoints out;
  out.reserve(static_cast<size_t>(n) * (d + 2));
  for (uint32_t j = 0; j < n; ++j) {
    const std::vector<double> a(base[j].begin(), base[j].begin() + static_cast<std::ptrdiff_t>(d));
    const std::vector<double> b(base[j].begin() + static_cast<std::ptrdiff_t>(d), base[j].end());
    out.push_back(a);
    for (size_t i = 0; i < d; ++i) {
      std::vector<double> ab = a;
      ab[i] = b[i];
      out.push_back(std::move(ab));
    }
    out.push_back(b);
  }
  return out;
}

MorrisPoints morris_points(uint32_t trajectories, size_t d, uint32_t levels, uint64_t seed) {
  if (levels < 2 || levels % 2 != 0)
    throw std::invalid_argument(fmt::format("morris_points: levels = {}, not even", levels));
  const Rng rng(seed, 0);
  const uint32_t half = levels / 2;  // Δ in grid steps
  const double step = 1.0 / (levels - 1.0);
  MorrisPoints out;
  out.delta = half * step;
  out.points.reserve(size_t{trajectories} * (d + 1));
  std::vector<uint32_t> level(d);
  std::vector<std::pair<uint32_t, uint32_t>> order(d);  // (random key, dimension)
  std::vector<int8_t> dir(d);
  for (uint32_t t = 0; t < trajectories; ++t) {
    for (size_t i = 0; i < d; ++i) {
      const auto w = rng.bits(kMorrisStream + static_cast<uint32_t>(i), t, Purpose::sweep, 0);
      const uint32_t base = static_cast<uint32_t>((uint64_t{w[0]} * half) >> 32);
      dir[i] = (w[1] & 1u) ? 1 : -1;
      level[i] = dir[i] > 0 ? base : base + half;  // going down starts in the upper half
      order[i] = {w[2], static_cast<uint32_t>(i)};
    }
    std::sort(order.begin(), order.end());
    auto emit = [&] {
      std::vector<double> p(d);
      for (size_t i = 0; i < d; ++i) p[i] = level[i] * step;
      out.points.push_back(std::move(p));
    };
    emit();
    for (const auto& [key, i] : order) {
      level[i] = dir[i] > 0 ? level[i] + half : level[i] - half;
      out.moved.push_back(i);
      out.up.push_back(dir[i]);
      emit();
    }
  }
  return out;
}

double scale_grid(double u, double min, double max, bool integer) {
  const double x = std::lerp(min, max, u);  // exact at both ends
  return integer ? std::min(max, std::max(min, std::round(x))) : x;
}

double scale_unit(double u, double min, double max, bool integer) {
  if (!integer) return min + u * (max - min);
  const double k = std::floor(u * (max - min + 1));
  return std::min(max, min + k);
}

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint32_t sample_seed(uint64_t design_seed, uint64_t sample) {
  return static_cast<uint32_t>(splitmix64((design_seed << 32) + sample));
}

}  // namespace fourp
