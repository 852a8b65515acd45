#include <stdatomic.h>
#include <stdlib.h>

#include "answer.h"

struct answer {
	atomic_int	 state;
	atomic_int	 holders;
};

struct answer *
answer_new(void)
{
	struct answer *answer;

	if ((answer = malloc(sizeof(*answer))) == NULL)
		return NULL;
	atomic_init(&answer->state, ANSWER_PENDING);
	atomic_init(&answer->holders, 1);
	return answer;
}

struct answer *
answer_hold(struct answer *answer)
{
	atomic_fetch_add(&answer->holders, 1);
	return answer;
}

void
answer_release(struct answer *answer)
{
	if (answer != NULL && atomic_fetch_sub(&answer->holders, 1) == 1)
		free(answer);
}

void
answer_give(struct answer *answer, int accepted)
{
	atomic_store(&answer->state, accepted ? ANSWER_ACCEPTED :
	    ANSWER_REFUSED);
}

int
answer_get(const struct answer *answer)
{
	return atomic_load(&answer->state);
}
