/* PLACEHOLDER: being written (issue 4). */
