// Sample generation for sweeps: where in parameter space each sample of a design lies. Every
// function is a pure function of its arguments (random designs draw from fourp::Rng keyed by the
// design seed), so the same sweep file gives the same samples on every machine and rank.
//
//   auto unit = latin_hypercube(200, 3, seed);        // [sample][dimension] in (0, 1)
//   auto pts = saltelli_points(1024, 3, seed);        // 1024 * (3 + 2) rows, Saltelli layout
//   double x = scale_unit(unit[j][i], 0.2, 0.9, false);
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fourp {

// Unit points are [point][dimension], each coordinate in the open interval (0, 1).
using UnitPoints = std::vector<std::vector<double>>;

// The full factorial grid of the given value lists, first list varying slowest (as nested loops
// in the order given). Rows: the product of the list sizes.
std::vector<std::vector<double>> grid_points(const std::vector<std::vector<double>>& values);

// Latin hypercube of n points in d dimensions: in every dimension each of the n strata
// [k/n, (k+1)/n) holds exactly one point, at a uniform position inside it; strata are matched
// across dimensions by independent random permutations.
// Draws: Rng(seed, 0), Purpose::sweep, step = 0x10000000 + dimension, agent = point;
// permutation keys use index 0, positions inside strata index 1.
UnitPoints latin_hypercube(uint32_t n, size_t d, uint64_t seed);

// The first n points (indices 0 … n-1, Gray-code order) of the d-dimensional Sobol' sequence
// with Joe & Kuo's direction numbers (new-joe-kuo-6.21201), 32-bit digits. With `scramble`, a
// random linear matrix scramble (Matoušek: a lower-triangular binary matrix with unit diagonal
// per dimension) and a random digital shift, drawn from Rng(seed, 0), Purpose::sweep,
// step = 0x20000000 + dimension, agent = matrix row (32 for the shift): the points
// keep the net property and become unbiased. d ≤ kMaxSobolDimensions. Coordinates are the
// 32-bit integer x mapped to (x + 0.5) / 2^32.
inline constexpr size_t kMaxSobolDimensions = 64;
UnitPoints sobol_points(uint32_t n, size_t d, uint64_t seed, bool scramble = true);

// Morris's (1991) elementary-effects design: `trajectories` one-at-a-time paths through the grid of
// `levels` values {0, 1/(levels − 1), …, 1} of the unit hypercube (levels even, ≥ 2). Each path has
// d + 1 points: point 0 is a random grid point, and each next point moves one coordinate, in a
// random order, by Δ = levels / (2 (levels − 1)), up or down, so that every coordinate moves once.
// Draws: Rng(seed, 0), Purpose::sweep, step = 0x40000000 + dimension, agent = trajectory; word 0
// the base level (of the lower levels/2), word 1 the direction, word 2 the place in the order.
struct MorrisPoints {
  UnitPoints points;            // [trajectory · (d + 1) + k][dimension]; coordinates in [0, 1]
  std::vector<uint32_t> moved;  // [trajectory · d + k]: the coordinate point k → k + 1 moves
  std::vector<int8_t> up;       // [trajectory · d + k]: +1 when it moves up by Δ, −1 down
  double delta = 0;             // Δ
};
MorrisPoints morris_points(uint32_t trajectories, size_t d, uint32_t levels, uint64_t seed);

// Saltelli's sampling for first-order and total Sobol' indices of a function of d inputs, from
// 2d-dimensional scrambled Sobol' points (columns 0…d-1 are matrix A, d…2d-1 matrix B). For each
// base point j the rows come in a block of d + 2:
//   row j(d+2)          A_j
//   row j(d+2) + i      AB_i,j: A_j with coordinate i-1 taken from B_j   (i = 1 … d)
//   row j(d+2) + d + 1  B_j
// so any prefix of whole blocks is itself a valid (smaller) Saltelli design.
UnitPoints saltelli_points(uint32_t n, size_t d, uint64_t seed);
// What row `row` of a Saltelli design is: 0 = A, 1 … d = AB_i, d + 1 = B.
inline size_t saltelli_matrix(size_t row, size_t d) {
  return row % (d + 2);
}

// A unit coordinate u in (0, 1) to a parameter value in [min, max]: min + u (max − min); for
// whole-number parameters min + ⌊u (max − min + 1)⌋ (each whole value equally likely), at most max.
double scale_unit(double u, double min, double max, bool integer);

// A grid coordinate u in [0, 1] (Morris's levels) to a parameter value: min + u (max − min), exact
// at u = 0 and 1 (std::lerp); for
// whole-number parameters rounded to the nearest whole number (halves away from zero), so that
// the levels stay distinct when the range holds at least as many whole values as levels.
double scale_grid(double u, double min, double max, bool integer);

// The 32-bit seed of the runs of sample `sample` of a design with independent seeds: the low 32
// bits of splitmix64(design_seed · 2^32 + sample). With the replicate it keys fourp::Rng, so every
// run of a sweep is a pure function of (design seed, sample, replicate), and arms share it. With
// common random numbers across design points (sweeps' default) every sample takes the seed of
// sample 0: replicate r of every point draws the same random numbers (run_seed).
uint32_t sample_seed(uint64_t design_seed, uint64_t sample);
inline uint32_t run_seed(uint64_t design_seed, uint64_t sample, bool independent_seeds) {
  return sample_seed(design_seed, independent_seeds ? sample : 0);
}

// The splitmix64 finaliser (Steele, Lea & Flood 2014), a bijection on 64 bits.
uint64_t splitmix64(uint64_t x);

}  // namespace fourp
