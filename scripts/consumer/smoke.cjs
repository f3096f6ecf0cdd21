// CommonJS smoke test of the packed polybus: `require` works (Node 20.19+ loads the ESM build).
/* global require, console */
/* eslint-disable @typescript-eslint/no-require-imports -- requiring the package is what this file tests */
const assert = require('node:assert/strict');
const polybus = require('polybus');
const core = require('polybus/core');

assert.equal(typeof polybus.createPolybus, 'function');
assert.equal(core.PolybusError, polybus.PolybusError);
assert.deepEqual([...polybus.PROVIDER_NAMES], ['tencent', 'huawei', 'aws', 'azure']);
console.log('cjs: ok');
