// SPDX-License-Identifier: MIT
// The receiver's JSON push path (plain, gzip, deflate), through Ingestor::ingest() as the
// HTTP handler calls it. See pushharness.h for the layout of an input.
#include "fuzzsupport.h"
#include "pushharness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    PushHarness::run(PushHarness::Format::Json, FuzzSupport::bytes(data, size));
    return 0;
}
