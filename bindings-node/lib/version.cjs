'use strict';
/** This package's version (kept equal to package.json's by the test suite). */
module.exports = '0.1.0';
