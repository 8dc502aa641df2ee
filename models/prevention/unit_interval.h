// MODEL.md: "each result clamped to [0,1]". The rules compute in float, the precision the state
// is kept in (parameters are rounded to float once): twice the lanes of double in the vectorised
// loops, and no conversions between the two.
#pragma once

namespace fourp::models {

// std::clamp(x, 0.0, 1.0), written as selects so that loops over agents vectorise.
inline float clamp01(float x) {
  return x < 0.0f ? 0.0f : (1.0f < x ? 1.0f : x);
}

}  // namespace fourp::models
