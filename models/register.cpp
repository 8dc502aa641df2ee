#include "models/register.h"

#include "models/prevention/prevention_kind.h"
#include "models/reference/reference_models.h"

namespace fourp::models {

void register_all(Catalog& catalog) {
  catalog.add(prevention_kind());  // first: the default kind

  // Reference models for verification (docs/verification.md).
  catalog.add(reference::linear_threshold_kind());
  catalog.add(reference::independent_cascade_kind());
  catalog.add(reference::sir_kind());
  catalog.add(reference::degroot_kind());
  catalog.add(reference::deffuant_kind());
  catalog.add(reference::voter_kind());
}

}  // namespace fourp::models
