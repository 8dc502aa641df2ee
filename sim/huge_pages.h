// An allocator for the large per-agent arrays that the step reads at random (the records the
// gather sums over ties): on Linux it asks for transparent huge pages (madvise MADV_HUGEPAGE), so
// that a village's records sit in a few 2 MiB pages rather than hundreds of 4 KiB ones and the
// reads miss the TLB less often (5–8% on the benchmark, docs/performance.md). Small arrays, and
// systems without transparent huge pages, get ordinary memory: values are never affected.
//
//   std::vector<NeighbourRecord, HugePageAllocator<NeighbourRecord>> records(n);
#pragma once

#include <cstddef>
#include <new>

namespace fourp {

// Allocates `bytes` (a multiple of the huge-page size when large) and advises huge pages.
void* allocate_huge_page_aligned(std::size_t bytes);
void free_huge_page_aligned(void* p) noexcept;

template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(allocate_huge_page_aligned(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t) noexcept { free_huge_page_aligned(p); }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace fourp
