#!/usr/bin/env node
console.log('mcpcert');
