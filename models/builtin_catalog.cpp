// The shipped models' catalog (builtin_catalog.h).
#include "models/builtin_catalog.h"

#include "models/register.h"

namespace fourp::models {

const Catalog& builtin_catalog() {
  static const Catalog c = [] {
    Catalog cat;
    register_all(cat);
    return cat;
  }();
  return c;
}

}  // namespace fourp::models
