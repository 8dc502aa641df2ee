#include "sim/huge_pages.h"

#include <cstdlib>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace fourp {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;  // x86-64 and arm64 with 4 KiB pages
}

void* allocate_huge_page_aligned(std::size_t bytes) {
  if (bytes < kHugePage) {  // not worth a huge page
    void* p = std::malloc(bytes == 0 ? 1 : bytes);
    if (!p) throw std::bad_alloc();
    return p;
  }
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (!p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without THP the pages stay small
#endif
  return p;
}

// Both kinds of block come from malloc's family, so free() releases either.
void free_huge_page_aligned(void* p) noexcept {
  std::free(p);
}

}  // namespace fourp
