// SPDX-License-Identifier: MIT
// The receiver's protobuf push path (snappy, also inside gzip), through Ingestor::ingest()
// as the HTTP handler calls it. See pushharness.h for the layout of an input.
#include "fuzzsupport.h"
#include "pushharness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    PushHarness::run(PushHarness::Format::Protobuf, FuzzSupport::bytes(data, size));
    return 0;
}
