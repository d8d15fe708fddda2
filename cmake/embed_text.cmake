# Embeds a text file as a C++ raw string (the shipped default scenario), so the
# binary runs it from any working directory.
file(READ "${INPUT}" text)
set(content "// Generated from ${INPUT_NAME} by cmake/embed_text.cmake. Do not edit.
#include <string>
namespace condor {
const std::string& ${FUNCTION}() {
    static const std::string text = R\"condor_embed(${text})condor_embed\";
    return text;
}
}  // namespace condor
")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT "${old}" STREQUAL "${content}")
  file(WRITE "${OUTPUT}" "${content}")
endif()
