// Hardhat's node for the second-chain tests (tests/chains): the defaults (an in-process EDR
// network, chain 31337, anvil's development accounts) are what the tests expect.
export default {};
