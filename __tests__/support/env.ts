/**
 * Runs before every test file. No test may reach real AWS: credentials are
 * fakes and every client is pointed at a closed loopback port, unless a test
 * explicitly points AWS_ENDPOINT_URL at the moto server (see moto.ts).
 */
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
process.env.AWS_SESSION_TOKEN = 'testing';
process.env.AWS_REGION = process.env.AWS_REGION ?? 'us-east-1';
process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
process.env.AWS_MAX_ATTEMPTS = '1';
delete process.env.AWS_PROFILE;
