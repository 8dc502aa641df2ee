// Classic models run on the same engine (network, scheduler, random numbers, output) as the
// prevention model, so that fourp can be checked against results nobody here wrote
// (docs/verification.md). Each is one `model.kind`, one file, one registration line; none takes
// interventions, and a scenario of one has at most one arm. Rules, parameters and defaults:
// docs/model.md section 9.
//
//   catalog.add(models::reference::sir_kind());
//   // model: {kind: sir, beta: 0.5, gamma: 1, seeds: {count: 1}}
#pragma once

#include "sim/catalog.h"

namespace fourp::models::reference {

// An inactive agent becomes active when the active share of its neighbours reaches its threshold
// (Granovetter 1978; Watts 2002), or with `threshold_count` when that many neighbours are active.
ModelKind linear_threshold_kind();
// Each newly active agent activates each inactive neighbour once with `probability`
// (Kempe, Kleinberg & Tardos 2003).
ModelKind independent_cascade_kind();
// Susceptible–infected–recovered on the network, per step: infection along each tie with `beta`,
// recovery with `gamma` (Kermack & McKendrick 1927; Newman 2002).
ModelKind sir_kind();
// Opinions move towards the neighbours' mean: x ← x + kappa · (x̄ − x) (DeGroot 1974).
ModelKind degroot_kind();
// Bounded confidence on the network's ties, pairs matched in parallel each step
// (Deffuant, Neau, Amblard & Weisbuch 2000).
ModelKind deffuant_kind();
// Each agent copies the opinion (0 or 1) of a uniformly chosen neighbour: synchronous,
// random-sequential or lazy synchronous (Sood & Redner 2005).
ModelKind voter_kind();

}  // namespace fourp::models::reference
