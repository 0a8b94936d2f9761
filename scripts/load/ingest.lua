-- wrk: POST /v1/ingest, each connection writing into its own conversations (a new one every 50
-- messages), authenticated with $TACT_KEY.
local counter = 0
local thread_id = 0
setup = function(thread)
    thread:set("thread_id", counter)
    counter = counter + 1
end
local sent = 0
request = function()
    sent = sent + 1
    local conversation = string.format("load-%d-%d", thread_id, math.floor(sent / 50))
    local body = string.format('{"conversation": "%s", "client": "client-%s", "author": "client", "language": "en", "text": "I lost my job last month and the rent is due on Friday. My husband shouts at me when I ask about money. Please call me on 082 555 0199."}', conversation, conversation)
    return wrk.format("POST", "/v1/ingest", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TACT_KEY")}, body)
end
