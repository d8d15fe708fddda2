// VIX futures under Q from the law of VIX_T^2 = a + b_x x_T + b_y y_T (DESIGN §4).
#pragma once

#include "host/pricing/affine_transform.h"

namespace condor {

// E_Q[VIX_T | x_0, y_0] in VIX points: the fair VIX futures price for expiry
// tau_years (futures are marked to market daily, so no discounting).
double vix_future(const AffineTransform& transform, double x0, double y0, double tau_years);

}  // namespace condor
