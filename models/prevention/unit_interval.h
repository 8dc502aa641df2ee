// MODEL.md: "each result clamped to [0,1]". The rules compute in double and store float.
#pragma once

namespace fourp::models {

// std::clamp(x, 0.0, 1.0), written as selects so that loops over agents vectorise.
inline float clamp01(double x) {
  return static_cast<float>(x < 0.0 ? 0.0 : (1.0 < x ? 1.0 : x));
}

}  // namespace fourp::models
