// HugePageAllocator: large arrays start on a huge-page boundary (so that madvise covers whole
// pages) and behave as ordinary vectors.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "sim/huge_pages.h"

using namespace fourp;

TEST_CASE("HugePageAllocator: large arrays are 2 MiB aligned, small ones ordinary", "[unit]") {
  std::vector<uint32_t, HugePageAllocator<uint32_t>> big(3'000'000);  // 12 MB
  CHECK(reinterpret_cast<uintptr_t>(big.data()) % (uintptr_t{2} << 20) == 0);
  for (uint32_t i = 0; i < big.size(); ++i) big[i] = i * 7u;
  uint64_t sum = 0;
  for (uint32_t v : big) sum += v;
  CHECK(sum == 7ull * (3'000'000ull * 2'999'999ull / 2));
  std::vector<double, HugePageAllocator<double>> small(10, 1.5);
  small.push_back(2.5);  // reallocation through the allocator keeps the values
  CHECK(small.size() == 11);
  CHECK(small.front() == 1.5);
  CHECK(small.back() == 2.5);
}
